import { normalizeEmail, quoteIdent, splitList } from "../strings"

describe("strings", () => {
  it("normalizeEmail trims and lower-cases strings only", () => {
    expect(normalizeEmail("  Zoë.Müller@Example.COM\t")).toBe("zoë.müller@example.com")
    expect(normalizeEmail(5)).toBe(5)
    expect(normalizeEmail(null)).toBeNull()
  })

  it("splitList trims each item and keeps empty ones for the validator to refuse", () => {
    expect(splitList("orders, groups,,billing_address")).toEqual(["orders", "groups", "", "billing_address"])
  })

  it("quoteIdent quotes an identifier and doubles its quotes", () => {
    expect(quoteIdent("public")).toBe('"public"')
    expect(quoteIdent('My "Ext"')).toBe('"My ""Ext"""')
  })
})
