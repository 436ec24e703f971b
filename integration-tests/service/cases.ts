import type { CustomerService } from "@medusajs/medusa"
import type { EntityManager } from "typeorm"
import type { DifferenceName } from "./differences"
import { FIXTURE_PASSWORD } from "./fixture"

/** Core CustomerService's public methods: the differential test has cases for each (the spec checks the list against core's prototype). */
export const METHODS = [
  "create",
  "update",
  "retrieve",
  "retrieveByEmail",
  "retrieveRegisteredByEmail",
  "retrieveUnregisteredByEmail",
  "retrieveByPhone",
  "list",
  "listAndCount",
  "listByEmail",
  "count",
  "addAddress",
  "updateAddress",
  "removeAddress",
  "updateBillingAddress_",
  "generateResetPasswordToken",
  "delete",
] as const
export type Method = (typeof METHODS)[number]

export type Case = {
  method: Method
  name: string
  /** The call's arguments (cloned per run: core mutates its inputs), or made in the run's transaction. */
  args: unknown[] | ((service: CustomerService) => Promise<unknown[]>)
  /** Runs first, in the same transaction, through the service under test (or the manager, for raw SQL). */
  setup?: (service: CustomerService, manager: EntityManager) => Promise<unknown>
  /** What core does: the case is about a success or about an error (checked before comparing). */
  core: "returns" | "throws"
  /**
   * A documented difference that turns core's error into an answer: the plugin's outcome must be
   * core's outcome for this other call (same setup), e.g. the lookup by id of what the plugin finds.
   */
  coreAnswers?: { method: Method; args: unknown[]; because: DifferenceName }
  /** Documented differences for this case beyond those of its method: `[name, param]`. */
  differences?: [DifferenceName, string?][]
}

/** Core's account beside a guest made with this password stands in for the plugin's social-login account (socialLoginBesideGuest). */
const SOCIAL_STAND_IN = "social-stand-in"

/** Every password a case uses: hashes are described by the one they verify. */
export const PASSWORDS = [FIXTURE_PASSWORD, "new-password", "changed-password", SOCIAL_STAND_IN]

const person = { first_name: "Nora", last_name: "New" }
const street = { first_name: "Bea", last_name: "Billing", address_1: "9 New Rd", city: "Paris", country_code: "FR", postal_code: "75001" }
const SHIPPING_COPY = { first_name: "Bea", last_name: "Billing", address_1: "3 High St", address_2: null, city: "London",
  country_code: "GB", postal_code: "N1 9GU", phone: "+44 20 7946 0002", province: null }
const ALL_RELATIONS = { relations: ["billing_address", "shipping_addresses", "groups"] }
const DUP_ACCOUNT = "A customer with the given email already has an account. Log in instead"
const DUP_UPDATE = "A customer with the given email already exists"

/** Sets the extension's column with SQL, as another writer of the table would. */
function tier(id: string, value: string): Case["setup"] {
  return async (_service, manager) => await manager.query("UPDATE customer SET loyalty_tier = $1 WHERE id = $2", [value, id])
}

export const CASES: Case[] = [
  // create
  { method: "create", name: "a guest", core: "returns", args: [{ email: "new@example.com", ...person }] },
  { method: "create", name: "an account, mixed-case email", core: "returns", args: [{ email: "New.Account@Example.com", password: "new-password", ...person }] },
  { method: "create", name: "a guest, email with spaces", core: "returns", args: [{ email: "  spaced@example.com ", ...person }], differences: [["emailNormalised", "  spaced@example.com "]] },
  { method: "create", name: "social login: has_account true, no password", core: "returns", args: [{ email: "google@example.com", ...person, has_account: true }] },
  { method: "create", name: "an account for a guest's email", core: "returns", args: [{ email: "guest@example.com", password: "new-password", ...person }] },
  { method: "create", name: "a second guest", core: "throws", args: [{ email: "guest@example.com", ...person }] },
  { method: "create", name: "a second account", core: "throws", args: [{ email: "account@example.com", password: "new-password", ...person }] },
  { method: "create", name: "a second account, upper-case email", core: "throws", args: [{ email: "ACCOUNT@Example.COM", password: "new-password", ...person }] },
  { method: "create", name: "an account over a legacy mixed-case one", core: "returns", args: [{ email: "legacy.mixed@example.com", password: "new-password", ...person }], coreAnswers: { method: "retrieve", args: ["cus_legacy"], because: "caseVariantRefused" }, differences: [["caseVariantRefused", DUP_ACCOUNT]] },
  { method: "create", name: "social login for a guest's email", core: "throws", args: [{ email: "guest@example.com", ...person, has_account: true }], coreAnswers: { method: "create", args: [{ email: "guest@example.com", ...person, password: SOCIAL_STAND_IN }], because: "socialLoginBesideGuest" }, differences: [["socialLoginBesideGuest", SOCIAL_STAND_IN]] },
  { method: "create", name: "social login over an account", core: "throws", args: [{ email: "social@example.com", ...person, has_account: true }], differences: [["caseInsensitiveDuplicates", DUP_ACCOUNT]] },
  { method: "create", name: "has_account false with a password", core: "returns", args: [{ email: "pw@example.com", password: "new-password", has_account: false, ...person }] },
  { method: "create", name: "phone and metadata", core: "returns", args: [{ email: "meta@example.com", phone: "+1 555 0100", metadata: { source: "pos", n: 2 }, ...person }] },
  { method: "create", name: "metadata with an empty value (kept: create does not merge)", core: "returns", args: [{ email: "empty@example.com", metadata: { keep: "", n: 1 }, ...person }] },
  { method: "create", name: "the email of a deleted customer", core: "returns", args: [{ email: "gone@example.com", password: "new-password", ...person }] },
  { method: "create", name: "guest, then an account with the same email", core: "returns", setup: (s) => s.create({ email: "pair@example.com", ...person }), args: [{ email: "pair@example.com", password: "new-password", ...person }] },
  // update
  { method: "update", name: "first name", core: "returns", args: ["cus_guest", { first_name: "Dolly" }] },
  { method: "update", name: "email with case and spaces", core: "returns", args: ["cus_guest", { email: " Guest.New@Example.COM " }], differences: [["emailNormalised", " Guest.New@Example.COM "]] },
  { method: "update", name: "metadata merged, '' removes a key", core: "returns", args: ["cus_guest", { metadata: { b: "", c: 2 } }], differences: [["atomicMetadataMerge"]] },
  { method: "update", name: "metadata on a customer without any", core: "returns", args: ["cus_account", { metadata: { c: { nested: true }, gone: "" } }], differences: [["atomicMetadataMerge"]] },
  { method: "update", name: "its own email in another case", core: "returns", args: ["cus_account", { email: "ACCOUNT@Example.com" }], differences: [["emailNormalised", "ACCOUNT@Example.com"]] },
  { method: "update", name: "metadata null", core: "returns", args: ["cus_guest", { metadata: null, last_name: "G" }] },
  { method: "update", name: "password", core: "returns", args: ["cus_account", { password: "changed-password" }] },
  { method: "update", name: "email of an account", core: "returns", args: ["cus_social", { email: "Social.New@Example.com" }], differences: [["emailNormalised", "Social.New@Example.com"]] },
  { method: "update", name: "a first password for a social-login account", core: "returns", args: ["cus_social", { password: "new-password" }] },
  { method: "update", name: "has_account on a guest", core: "returns", args: ["cus_guest", { has_account: true }] },
  { method: "update", name: "phone to null", core: "returns", args: ["cus_guest", { phone: null }] },
  { method: "update", name: "billing address by object, none before", core: "returns", args: ["cus_guest", { billing_address: street }] },
  { method: "update", name: "billing address by object, replacing one", core: "returns", args: ["cus_billing", { billing_address: street }] },
  { method: "update", name: "billing address by id", core: "returns", args: ["cus_guest", { billing_address_id: "addr_loose" }] },
  { method: "update", name: "billing_address_id null", core: "returns", args: ["cus_billing", { billing_address_id: null }] },
  { method: "update", name: "unknown billing address id", core: "throws", args: ["cus_guest", { billing_address_id: "addr_missing" }] },
  { method: "update", name: "groups replaced", core: "returns", args: ["cus_account", { groups: [{ id: "cgrp_new" }] }] },
  { method: "update", name: "groups cleared", core: "returns", args: ["cus_account", { groups: [] }] },
  { method: "update", name: "a key that is no column", core: "returns", args: ["cus_guest", { nickname: "Gi" }], differences: [["unknownKeyRefused", "nickname"]] },
  { method: "update", name: "an unknown customer", core: "throws", args: ["cus_missing", { first_name: "X" }] },
  { method: "update", name: "a deleted customer", core: "throws", args: ["cus_gone", { first_name: "X" }] },
  { method: "update", name: "updated_at given, with a name", core: "returns", args: ["cus_guest", { updated_at: new Date("2025-01-02T03:04:05Z"), first_name: "Dated" }] },
  { method: "update", name: "an unknown customer, with a key that is no column", core: "throws", args: ["cus_missing", { nickname: "X" }] },
  { method: "update", name: "an unknown customer, with an unknown group", core: "throws", args: ["cus_missing", { groups: [{ id: "cgrp_missing" }] }] },
  { method: "update", name: "email of another guest", core: "throws", args: ["cus_billing", { email: "guest@example.com" }], differences: [["caseInsensitiveDuplicates", DUP_UPDATE]] },
  { method: "update", name: "email of another guest, other case", core: "returns", args: ["cus_billing", { email: "GUEST@example.com" }], coreAnswers: { method: "retrieve", args: ["cus_billing"], because: "caseVariantRefused" }, differences: [["caseVariantRefused", DUP_UPDATE]] },
  // retrieve*
  { method: "retrieve", name: "by id", core: "returns", args: ["cus_guest"] },
  { method: "retrieve", name: "with relations", core: "returns", args: ["cus_billing", ALL_RELATIONS] },
  { method: "retrieve", name: "with select, password_hash included (AuthService does this)", core: "returns", args: ["cus_account", { select: ["id", "email", "password_hash"] }] },
  { method: "retrieve", name: "unknown id", core: "throws", args: ["cus_missing"] },
  { method: "retrieve", name: "a deleted customer", core: "throws", args: ["cus_gone"] },
  { method: "retrieve", name: "undefined id", core: "throws", args: [undefined] },
  { method: "retrieveByEmail", name: "case variant", core: "returns", args: ["GUEST@Example.com"] },
  { method: "retrieveByEmail", name: "undefined", core: "throws", args: [undefined] },
  { method: "retrieveByEmail", name: "legacy mixed-case email", core: "throws", args: ["Legacy.Mixed@Example.com"], coreAnswers: { method: "retrieve", args: ["cus_legacy"], because: "emailInAnyCase" } },
  { method: "retrieveRegisteredByEmail", name: "legacy mixed-case email, in lower case", core: "throws", args: ["legacy.mixed@example.com"], coreAnswers: { method: "retrieve", args: ["cus_legacy"], because: "emailInAnyCase" } },
  { method: "retrieveUnregisteredByEmail", name: "legacy mixed-case account asked as a guest", core: "throws", args: ["legacy.mixed@example.com"] },
  { method: "listByEmail", name: "legacy mixed-case email", core: "returns", args: ["legacy.mixed@example.com"], coreAnswers: { method: "list", args: [{ id: ["cus_legacy"] }], because: "emailInAnyCase" } },
  { method: "retrieveRegisteredByEmail", name: "an account", core: "returns", args: ["Account@Example.com", { relations: ["groups"] }] },
  { method: "retrieveRegisteredByEmail", name: "social login (no password)", core: "returns", args: ["social@example.com"] },
  { method: "retrieveRegisteredByEmail", name: "a guest's email", core: "throws", args: ["guest@example.com"] },
  { method: "retrieveUnregisteredByEmail", name: "the guest sharing an account's email", core: "returns", args: ["account@example.com"] },
  { method: "retrieveUnregisteredByEmail", name: "an account's email only", core: "throws", args: ["social@example.com"] },
  { method: "retrieveByPhone", name: "a match", core: "returns", args: ["+44 20 7946 0001"] },
  { method: "retrieveByPhone", name: "no match", core: "throws", args: ["+1 000"] },
  // list*, count
  { method: "list", name: "default config", core: "returns", args: [{}, { order: { id: "ASC" } }] },
  { method: "list", name: "accounts with groups, a page", core: "returns", args: [{ has_account: true }, { relations: ["groups"], order: { email: "ASC" }, skip: 1, take: 2 }] },
  { method: "list", name: "q", core: "returns", args: [{ q: "bill" }, { order: { id: "ASC" } }] },
  { method: "list", name: "email selector with select", core: "returns", args: [{ email: "account@example.com" }, { select: ["id", "email", "has_account"], order: { id: "ASC" } }] },
  { method: "listAndCount", name: "q and order", core: "returns", args: [{ q: "example" }, { order: { email: "DESC" }, skip: 0, take: 3 }] },
  { method: "listAndCount", name: "group members with relations", core: "returns", args: [{ groups: ["cgrp_vip"] }, { relations: ["groups", "billing_address"], order: { id: "ASC" } }] },
  { method: "listAndCount", name: "default config", core: "returns", args: [{}] },
  { method: "listByEmail", name: "an email used by an account and a guest", core: "returns", args: ["Account@Example.COM", { order: { id: "ASC" } }] },
  { method: "listByEmail", name: "no match", core: "returns", args: ["nobody@example.com"] },
  { method: "count", name: "live customers", core: "returns", args: [] },
  { method: "count", name: "after a delete", core: "returns", setup: (s) => s.delete("cus_guest"), args: [] },
  // addresses
  { method: "addAddress", name: "a new shipping address", core: "returns", args: ["cus_billing", street] },
  { method: "addAddress", name: "a copy of an existing one", core: "returns", args: ["cus_billing", SHIPPING_COPY] },
  { method: "addAddress", name: "an unknown customer", core: "throws", args: ["cus_missing", street] },
  { method: "updateAddress", name: "a shipping address", core: "returns", args: ["cus_billing", "addr_ship", { city: "Leeds", country_code: "GB" }] },
  { method: "updateAddress", name: "another customer's address", core: "throws", args: ["cus_guest", "addr_ship", { city: "Leeds" }] },
  { method: "removeAddress", name: "a shipping address", core: "returns", args: ["cus_billing", "addr_ship"] },
  { method: "removeAddress", name: "an unknown address", core: "returns", args: ["cus_billing", "addr_missing"] },
  { method: "updateBillingAddress_", name: "by id", core: "returns", args: async (s) => [await s.retrieve("cus_guest"), "addr_loose"] },
  { method: "updateBillingAddress_", name: "by object, none before", core: "returns", args: async (s) => [await s.retrieve("cus_guest"), street] },
  { method: "updateBillingAddress_", name: "by object, replacing one", core: "returns", args: async (s) => [await s.retrieve("cus_billing"), street] },
  { method: "updateBillingAddress_", name: "null", core: "returns", args: async (s) => [await s.retrieve("cus_billing"), null] },
  { method: "updateBillingAddress_", name: "an unknown id", core: "throws", args: async (s) => [await s.retrieve("cus_guest"), "addr_missing"] },
  // password reset, delete
  { method: "generateResetPasswordToken", name: "an account", core: "returns", args: ["cus_account"] },
  { method: "generateResetPasswordToken", name: "after a password change", core: "returns", setup: (s) => s.update("cus_legacy", { password: "changed-password" }), args: ["cus_legacy"], differences: [["strongHash"]] },
  { method: "generateResetPasswordToken", name: "a guest", core: "throws", args: ["cus_guest"] },
  { method: "generateResetPasswordToken", name: "social login (no hash to sign with)", core: "throws", args: ["cus_social"] },
  { method: "generateResetPasswordToken", name: "an unknown customer", core: "throws", args: ["cus_missing"] },
  { method: "delete", name: "a customer", core: "returns", args: ["cus_guest"] },
  { method: "delete", name: "twice", core: "returns", setup: (s) => s.delete("cus_guest"), args: ["cus_guest"] },
  { method: "delete", name: "an unknown customer", core: "returns", args: ["cus_missing"] },
]

/** Cases on a store whose Customer entity has a column of its own (extended-customer.ts). */
export const EXTENSION_CASES: Case[] = [
  { method: "create", name: "with the extension's column", core: "returns", args: [{ email: "tier@example.com", loyalty_tier: "gold", ...person }] },
  { method: "update", name: "the extension's column", core: "returns", args: ["cus_guest", { loyalty_tier: "gold" }] },
  { method: "update", name: "the extension's column with a core one", core: "returns", args: ["cus_account", { first_name: "Al", loyalty_tier: "silver" }] },
  { method: "update", name: "another column, the extension's kept", core: "returns", setup: tier("cus_guest", "gold"), args: ["cus_guest", { last_name: "Gold" }] },
  { method: "retrieve", name: "the extension's column", core: "returns", setup: tier("cus_guest", "gold"), args: ["cus_guest"] },
  { method: "list", name: "selecting the extension's column", core: "returns", setup: tier("cus_guest", "gold"), args: [{ has_account: false }, { select: ["id", "loyalty_tier"], order: { id: "ASC" } }] },
]
