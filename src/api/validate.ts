import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { validator } from "@medusajs/medusa"
import type { ClassConstructor } from "class-transformer"
import { MedusaError } from "medusa-core-utils"

/** One message per bad property: its first failing constraint (see the validators' decorator order). */
const VALIDATION = { stopAtFirstError: true }

type Middleware = (req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => void

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}

/** Whether a string, key or nested value holds a NUL character (PostgreSQL text cannot store one). */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000")
  if (depth > 32 || typeof value !== "object" || value === null) return false
  return Object.entries(value).some(([key, inner]) => key.includes("\u0000") || containsNul(inner, depth + 1))
}

const NUL_MESSAGE = "Text must not contain NUL (\\u0000) characters"

/** Validates `req.query` against `cls` (whitelisted, unknown keys refused) into `req.validatedQuery`. */
export function validateQuery<T extends object>(cls: ClassConstructor<T>): Middleware {
  return (req, _res, next) => {
    if (containsNul(req.query)) return next(new MedusaError(MedusaError.Types.INVALID_DATA, NUL_MESSAGE))
    validator(cls, req.query, VALIDATION)
      .then((validated) => {
        req.validatedQuery = validated as MedusaRequest["validatedQuery"]
        next()
      })
      .catch(next)
  }
}

/** Validates a JSON object body against `cls` into `req.validatedBody`; anything but an object is a 400. */
export function validateBody<T extends object>(cls: ClassConstructor<T>): Middleware {
  return (req, _res, next) => {
    if (!isPlainObject(req.body)) {
      return next(new MedusaError(MedusaError.Types.INVALID_DATA, "The request body must be a JSON object"))
    }
    if (containsNul(req.body)) return next(new MedusaError(MedusaError.Types.INVALID_DATA, NUL_MESSAGE))
    validator(cls, req.body, VALIDATION)
      .then((validated) => {
        req.validatedBody = validated
        next()
      })
      .catch(next)
  }
}

/** An id no customer can have (NUL, absurd length) is simply not found, before any query. */
export function validateCustomerId(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction): void {
  const id = req.params.id ?? ""
  if (id.length > 100 || containsNul(id)) {
    return next(new MedusaError(MedusaError.Types.NOT_FOUND, "Customer was not found"))
  }
  next()
}

type BodyParserError = Error & { type?: string; status?: number }

const BODY_ERRORS: Record<string, [number, string]> = {
  "entity.parse.failed": [400, "The request body is not valid JSON"],
  "entity.too.large": [413, "The request body is too large"],
  "encoding.unsupported": [415, "The request body encoding is not supported"],
  "charset.unsupported": [415, "The request body charset is not supported"],
  "request.aborted": [400, "The request was aborted"],
  "entity.verify.failed": [400, "The request body could not be verified"],
}

/**
 * Body-parser failures (malformed JSON, oversize bodies) as Medusa-shaped JSON
 * errors instead of the default HTML page or a 500.
 */
export function bodyErrorHandler(err: BodyParserError, _req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction): void {
  const known = err && typeof err.type === "string" ? BODY_ERRORS[err.type] : undefined
  if (!known) return next(err)
  const [status, message] = known
  res.status(status).json({ type: MedusaError.Types.INVALID_DATA, message })
}
