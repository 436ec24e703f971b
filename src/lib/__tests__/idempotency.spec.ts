import { createHmac } from "crypto"
import { fingerprintSecret, requestFingerprint } from "../idempotency"

describe("requestFingerprint", () => {
  it("is HMAC-SHA256 of method, path and body under the secret: another secret or password gives another value", () => {
    const body = { email: "a@b.c", password: "pw" }
    const expected = createHmac("sha256", "s1").update('["POST","/admin/customers",{"email":"a@b.c","password":"pw"}]').digest("hex")
    expect(requestFingerprint("s1", "POST", "/admin/customers", body)).toBe(expected)
    expect(requestFingerprint("s2", "POST", "/admin/customers", body)).not.toBe(expected)
    expect(requestFingerprint("s1", "POST", "/admin/customers", { ...body, password: "pw2" })).not.toBe(expected)
  })
})

describe("fingerprintSecret", () => {
  it("takes jwt_secret, else cookie_secret, and names the settings when neither is set", () => {
    expect(fingerprintSecret({ jwt_secret: "j", cookie_secret: "c" })).toBe("j")
    expect(fingerprintSecret({ jwt_secret: undefined, cookie_secret: "c" })).toBe("c")
    expect(() => fingerprintSecret({})).toThrow(
      "medusa-plugin-customers: Idempotency-Key needs projectConfig.jwt_secret or cookie_secret to be set"
    )
  })
})
