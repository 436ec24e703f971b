import { Transform, TransformFnParams } from "class-transformer"
import { registerDecorator, ValidationArguments, ValidationOptions } from "class-validator"
import { splitList } from "./strings"

/** Query-string integer: "12" → 12; anything else is left as is, for @IsInt to refuse. */
export const ToInteger = (): PropertyDecorator =>
  Transform(({ value }: TransformFnParams) => (typeof value === "string" && /^-?\d{1,15}$/.test(value) ? Number(value) : value))

/** Query-string boolean: only "true" and "false" become booleans; anything else stays, for @IsBoolean to refuse. */
export const ToBoolean = (): PropertyDecorator =>
  Transform(({ value }: TransformFnParams) => (value === "true" ? true : value === "false" ? false : value))

/** A single query value becomes a one-element array (`groups=a` as `groups[]=a`). */
export const ToArray = (): PropertyDecorator =>
  Transform(({ value }: TransformFnParams) => (typeof value === "string" ? [value] : value))

/** Trims strings; leaves other values for the type validators. */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }: TransformFnParams) => (typeof value === "string" ? value.trim() : value))

/**
 * A comma-separated list whose every item is one of `allowed`
 * (e.g. `expand=orders,groups`). `label` names the items in the error message.
 */
export function IsListOf(allowed: readonly string[], label: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: "isListOf",
      target: target.constructor,
      propertyName: propertyName.toString(),
      options,
      validator: {
        validate: (value: unknown) => typeof value === "string" && splitList(value).every((item) => allowed.includes(item)),
        defaultMessage: (args: ValidationArguments) => {
          const value = args.value
          const bad =
            typeof value === "string" ? splitList(value).filter((item) => !allowed.includes(item)) : [String(value)]
          return `${label} [${bad.join(", ")}] are not valid; allowed: ${allowed.join(", ")}`
        },
      },
    })
  }
}
