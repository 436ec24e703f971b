import { Type } from "class-transformer"
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from "class-validator"
import { CUSTOMER_FIELDS, CUSTOMER_ORDER_FIELDS, CUSTOMER_RELATIONS } from "../../../types/customers"
import { normalizeEmail } from "../../../utils/strings"
import { IsListOf, ToArray, ToBoolean, ToInteger, Trim } from "../../../utils/validation"
import { Transform } from "class-transformer"

const ORDER_VALUES = CUSTOMER_ORDER_FIELDS.flatMap((field) => [field, `-${field}`])
const NormalizeEmail = (): PropertyDecorator => Transform(({ value }) => normalizeEmail(value))

const validDate = { message: "created_at and updated_at operators must be valid dates" }

/** `created_at[gt]=…` and friends: each operator a valid date. */
export class DateComparison {
  @IsOptional() @Type(() => Date) @IsDate(validDate) lt?: Date
  @IsOptional() @Type(() => Date) @IsDate(validDate) gt?: Date
  @IsOptional() @Type(() => Date) @IsDate(validDate) lte?: Date
  @IsOptional() @Type(() => Date) @IsDate(validDate) gte?: Date
}

/** `expand` and `fields`, shared by retrieve, update and list. */
export class AdminGetCustomerParams {
  @IsOptional()
  @IsString()
  @IsListOf(CUSTOMER_RELATIONS, "Relations")
  expand?: string

  @IsOptional()
  @IsString()
  @IsListOf(CUSTOMER_FIELDS, "Fields")
  fields?: string
}

/*
 * class-validator runs a property's decorators bottom-up and, with
 * `stopAtFirstError`, reports the first failure: the type check goes last.
 */

/** `GET /admin/customers` */
export class AdminGetCustomersParams extends AdminGetCustomerParams {
  @IsOptional() @MaxLength(200) @IsString() q?: string

  @IsOptional() @NormalizeEmail() @MaxLength(254) @IsString() email?: string

  @IsOptional() @ToBoolean() @IsBoolean({ message: "has_account must be true or false" }) has_account?: boolean

  @IsOptional()
  @ToArray()
  @IsString({ each: true })
  @ArrayMaxSize(100)
  @IsArray()
  groups?: string[]

  @IsOptional() @ValidateNested() @Type(() => DateComparison) created_at?: DateComparison
  @IsOptional() @ValidateNested() @Type(() => DateComparison) updated_at?: DateComparison

  @IsOptional()
  @IsIn(ORDER_VALUES, { message: `order must be one of: ${ORDER_VALUES.join(", ")}` })
  order?: string

  @ToInteger() @Min(1) @Max(1000) @IsInt({ message: "limit must be an integer" }) limit = 50

  @ToInteger() @Min(0) @IsInt({ message: "offset must be an integer" }) offset = 0
}

/** `POST /admin/customers` */
export class AdminPostCustomersReq {
  @NormalizeEmail() @IsEmail() email!: string
  @IsString() first_name!: string
  @IsString() last_name!: string
  @IsString() password!: string
  @IsOptional() @Trim() @IsString() phone?: string
  @IsOptional() @IsObject() metadata?: Record<string, unknown>
}

export class GroupRef {
  @IsString() id!: string
}

/** `POST /admin/customers/:id` */
export class AdminPostCustomersCustomerReq {
  @IsOptional() @NormalizeEmail() @IsEmail() email?: string
  @IsOptional() @IsString() first_name?: string
  @IsOptional() @IsString() last_name?: string
  @IsOptional() @IsString() password?: string
  @IsOptional() @Trim() @IsString() phone?: string
  @IsOptional() @IsObject() metadata?: Record<string, unknown>

  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(100)
  @IsArray()
  @Type(() => GroupRef)
  groups?: GroupRef[]
}

/** `GET /admin/customers/:id/history`: a page of entries, newest first. */
export class AdminGetCustomerHistoryParams {
  @ToInteger() @Min(1) @Max(100) @IsInt({ message: "limit must be an integer" }) limit = 20

  @ToInteger() @Min(0) @IsInt({ message: "offset must be an integer" }) offset = 0
}
