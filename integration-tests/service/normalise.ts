import jwt from "jsonwebtoken"
import Scrypt from "scrypt-kdf"
import type { HashCheck } from "./harness"

/** A generated entity id (`generateEntityId`: prefix + ULID); the fixture's ids are readable words and never match. */
const GENERATED_ID = /^(cus|addr|cgrp)_[0-9A-HJKMNP-TV-Z]{26}$/
const JWT = /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/

/** A stored password hash as the comparison sees it: its scrypt parameters and which known password it verifies. */
export type HashDescription = { scrypt: { logN: number; r: number; p: number }; verifies: string | null }

/** Hashes already described (the fixture's strong hashes recur in every run; each check costs a strong scrypt). */
const described = new Map<string, HashDescription>()

export type NormaliseContext = {
  /** The passwords the fixture and the cases use: a hash is described by the one it verifies. */
  passwords: string[]
  hashes: HashCheck
  /** `password_hash` → customer id, from the run's final state: which customer's hash signed a token. */
  signers: Map<string, string>
}

/**
 * Makes two runs comparable: entities become plain objects, timestamps
 * `<timestamp>`, generated ids `<cus#1>`… in order of first appearance (keys
 * visited in sorted order, so both runs number them alike), password hashes
 * their parameters and the password they verify (checked with core's
 * AuthService), JWTs their decoded payload and the customer whose hash signs them.
 */
export class Normaliser {
  private readonly ids = new Map<string, string>()
  private readonly counters = new Map<string, number>()

  constructor(private readonly context: NormaliseContext) {}

  async value(value: unknown, key?: string): Promise<unknown> {
    if (value instanceof Date) return "<timestamp>"
    if (typeof value === "string") return await this.string(value, key)
    if (Array.isArray(value)) {
      const out: unknown[] = []
      for (const item of value) out.push(await this.value(item))
      return out
    }
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {}
      for (const k of Object.keys(value).sort()) out[k] = await this.value((value as Record<string, unknown>)[k], k)
      return out
    }
    return value
  }

  private async string(value: string, key?: string): Promise<unknown> {
    if (key === "password_hash") return await this.hash(value)
    if (JWT.test(value)) return await this.token(value)
    if (GENERATED_ID.test(value)) return this.id(value)
    return value
  }

  private id(value: string): string {
    const known = this.ids.get(value)
    if (known) return known
    const prefix = value.slice(0, value.indexOf("_"))
    const n = (this.counters.get(prefix) ?? 0) + 1
    this.counters.set(prefix, n)
    const placeholder = `<${prefix}#${n}>`
    this.ids.set(value, placeholder)
    return placeholder
  }

  private async hash(hash: string): Promise<HashDescription> {
    const known = described.get(hash)
    if (known) return known
    let verifies: string | null = null
    for (const password of this.context.passwords) {
      if (await this.context.hashes.matches(password, hash)) verifies = password
    }
    const { logN, r, p } = Scrypt.viewParams(Buffer.from(hash, "base64"))
    const description = { scrypt: { logN, r, p }, verifies }
    described.set(hash, description)
    return description
  }

  private async token(token: string): Promise<unknown> {
    const signers: unknown[] = []
    for (const [hash, customerId] of this.context.signers) {
      try {
        jwt.verify(token, hash)
        signers.push(await this.value(customerId))
      } catch {
        // not signed with this customer's hash
      }
    }
    return { jwt: await this.value(jwt.decode(token)), signedWithTheHashOf: signers }
  }
}

/** A thrown error as callers see it: a MedusaError's type and message, or a database error's class, code and constraint. */
export function describeError(error: unknown): Record<string, unknown> {
  const err = error as Error & { type?: string; code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } }
  // MedusaError compiled to ES5 is a plain Error with a `type` (its constructor name is lost)
  if (typeof err.type === "string") return { type: err.type, message: err.message }
  return {
    class: err.constructor?.name,
    code: err.code ?? err.driverError?.code,
    constraint: err.constraint ?? err.driverError?.constraint,
    message: err.message,
  }
}
