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

/** `created_at[gt]=…` and friends: each operator a valid date. */
export class DateComparison {
  @IsOptional() @Type(() => Date) @IsDate() lt?: Date
  @IsOptional() @Type(() => Date) @IsDate() gt?: Date
  @IsOptional() @Type(() => Date) @IsDate() lte?: Date
  @IsOptional() @Type(() => Date) @IsDate() gte?: Date
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

/** `GET /admin/customers` */
export class AdminGetCustomersParams extends AdminGetCustomerParams {
  @IsOptional() @IsString() @MaxLength(200) q?: string

  @IsOptional() @NormalizeEmail() @IsString() @MaxLength(254) email?: string

  @IsOptional() @ToBoolean() @IsBoolean({ message: "has_account must be true or false" }) has_account?: boolean

  @IsOptional()
  @ToArray()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  groups?: string[]

  @IsOptional() @ValidateNested() @Type(() => DateComparison) created_at?: DateComparison
  @IsOptional() @ValidateNested() @Type(() => DateComparison) updated_at?: DateComparison

  @IsOptional()
  @IsIn(ORDER_VALUES, { message: `order must be one of: ${ORDER_VALUES.join(", ")}` })
  order?: string

  @ToInteger() @IsInt({ message: "limit must be an integer" }) @Min(1) @Max(1000) limit = 50

  @ToInteger() @IsInt({ message: "offset must be an integer" }) @Min(0) offset = 0
}

/** `POST /admin/customers` */
export class AdminPostCustomersReq {
  @NormalizeEmail() @IsEmail() @MaxLength(254) email!: string
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
  @IsOptional() @NormalizeEmail() @IsEmail() @MaxLength(254) email?: string
  @IsOptional() @IsString() first_name?: string
  @IsOptional() @IsString() last_name?: string
  @IsOptional() @IsString() password?: string
  @IsOptional() @Trim() @IsString() phone?: string
  @IsOptional() @IsObject() metadata?: Record<string, unknown>

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => GroupRef)
  groups?: GroupRef[]
}
