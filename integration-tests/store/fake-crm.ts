import http from "http"
import type { AddressInfo } from "net"

export type CrmCall = { status: number; body: { id: string; email: string; name: string }; idempotencyKey: string | undefined }

/**
 * An external CRM on a local port, for a store whose customerCreated handler
 * pushes each new customer to it (the fixture's src/loaders/crm.ts). It accepts
 * every POST /contacts, except that `failNext()` makes the next one answer 500;
 * `beforeAnswer` runs before each answer, while the store's create waits for it.
 */
export class FakeCrm {
  readonly calls: CrmCall[] = []
  /** What `beforeAnswer` threw (the call was then answered 500). */
  readonly errors: unknown[] = []
  beforeAnswer: (call: CrmCall) => Promise<void> = async () => undefined
  private failures = 0
  private readonly server = http.createServer((req, res) => {
    let text = ""
    req.on("data", (chunk) => (text += chunk))
    req.on("end", () => {
      const status = this.failures > 0 ? 500 : 200
      if (this.failures > 0) this.failures--
      const call: CrmCall = { status, body: JSON.parse(text), idempotencyKey: req.headers["idempotency-key"] as string | undefined }
      this.calls.push(call)
      this.beforeAnswer(call).then(
        () => res.writeHead(status, { "content-type": "application/json" }).end("{}"),
        (err: unknown) => {
          this.errors.push(err)
          res.writeHead(500).end()
        }
      )
    })
  })

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  /** Forgets the calls so far (the store pushes every customer it creates). */
  reset(): void {
    this.calls.length = 0
    this.errors.length = 0
    this.beforeAnswer = async () => undefined
  }

  failNext(): void {
    this.failures = 1
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}
