/** Environment variables for one suite: set before the app boots, put back as they were after it. */
export function suiteEnvironment(values: Record<string, string>) {
  const saved: Record<string, string | undefined> = {};
  return {
    apply() {
      for (const [key, value] of Object.entries(values)) {
        saved[key] = process.env[key];
        process.env[key] = value;
      }
    },
    restore() {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}
