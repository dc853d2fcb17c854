/** A Discord API error answer: HTTP status, Discord's JSON error code, and its message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}
