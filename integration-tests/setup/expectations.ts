/** Keys of a customer without relations, exactly as core serialises them (contract.md). */
export const CUSTOMER_KEYS = [
  "billing_address_id",
  "created_at",
  "deleted_at",
  "email",
  "first_name",
  "has_account",
  "id",
  "last_name",
  "metadata",
  "phone",
  "updated_at",
]

export const sortedKeys = (value: object): string[] => Object.keys(value).sort()

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
