/** A refusal the controller turns into `{ data: null, error }` with a stable `details.code`. */
export class WorkflowRefusal extends Error {
  constructor(
    public readonly code: string,
    message: string,
    public readonly errors: Array<{ path: string[]; message: string }> = []
  ) {
    super(message);
    this.name = 'WorkflowRefusal';
  }
}
