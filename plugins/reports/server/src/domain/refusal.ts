/** A request the reports plugin refuses: the HTTP status, a stable code and a message for people. */
export class ReportRefusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly errors?: Array<{ path: string[]; message: string }>) {
    super(message);
  }
}
