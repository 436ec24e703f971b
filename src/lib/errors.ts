/** A write refused because the client's `If-Match` no longer names the customer's current version. */
export class PreconditionFailedError extends Error {
  readonly status = 412
  readonly type = "precondition_failed"

  constructor(message = "The customer has changed since it was read (If-Match does not match its ETag); fetch it again") {
    super(message)
    this.name = "PreconditionFailedError"
  }
}
