/**
 * The only ways the plugin's CustomerService may differ from core's, each with
 * its reason. A difference rewrites core's normalised outcome into what the
 * plugin must produce instead; nothing else is forgiven.
 */

/** What one call did, normalised (normalise.ts): the value or error, the events, the rows left behind. */
export type Outcome = {
  result?: unknown
  /** The class of an object the call returned (an entity, as TypeORM loads and saves them). */
  resultClass?: string
  error?: Record<string, unknown>
  events: { name: string; data: unknown }[]
  /** updateBillingAddress_ reports through the customer it is given: that object after the call. */
  argument?: unknown
  state: unknown
}

type Method = string

export type Difference = {
  reason: string
  /** Applies to every case of these methods; without it, only to the cases that name it. */
  methods?: Method[]
  apply: (core: Outcome, param?: string) => Outcome
}

/** Copies `value`, replacing each property `(key, v)` by `replace(key, v)`; `undefined` drops the property. */
function mapProperties(value: unknown, replace: (key: string, v: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => mapProperties(item, replace))
  if (value === null || typeof value !== "object") return value
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    const replaced = replace(key, mapProperties(v, replace))
    if (replaced !== undefined) out[key] = replaced
  }
  return out
}

function mapOutcome(outcome: Outcome, replace: (key: string, v: unknown) => unknown): Outcome {
  return mapProperties(outcome, replace) as Outcome
}

const CORE_HASH = { logN: 1, r: 1, p: 1 }
const PLUGIN_HASH = { logN: 15, r: 8, p: 1 }

export const DOCUMENTED_DIFFERENCES = {
  noPasswordHash: {
    reason:
      "core returns password_hash from create/update and puts it in customer.created/updated; the plugin never lets it out " +
      "(contract: 100 of 100 creates leaked it). Reads that select it explicitly (AuthService) still get it: inherited.",
    methods: ["create", "update"],
    apply: (core) => ({
      ...core,
      result: mapProperties(core.result, (key, v) => (key === "password_hash" ? undefined : v)),
      events: core.events.map((e) => ({ ...e, data: mapProperties(e.data, (key, v) => (key === "password_hash" ? undefined : v)) })),
    }),
  },
  strongHash: {
    reason:
      "core hashes with scrypt logN 1, r 1 (broken in bulk on a laptop); the plugin with logN 15, r 8. Both verify with " +
      "core's AuthService (the normaliser checks every hash with it), so logins are unchanged.",
    methods: ["create", "update"],
    apply: (core) =>
      mapOutcome(core, (key, v) => (key === "scrypt" && JSON.stringify(v) === JSON.stringify(CORE_HASH) ? PLUGIN_HASH : v)),
  },
  emailNormalised: {
    reason:
      "core lower-cases the email on create only and never trims it; the plugin trims and lower-cases it on create and " +
      "update, so one address is one email for login, lookups and the unique index. param: the email as the caller gave it.",
    apply: (core, given = "") =>
      mapOutcome(core, (key, v) =>
        key === "email" && (v === given || v === given.toLowerCase()) ? given.trim().toLowerCase() : v
      ),
  },
  caseInsensitiveDuplicates: {
    reason:
      "core's duplicate checks let through what its unique index (email, has_account) then refuses as a database " +
      "error (23505): any duplicate on update (core has no check), a social login (has_account, no password) over an " +
      "account (core's check looks at the password). The plugin checks first and throws DUPLICATE_ERROR. param: the " +
      "plugin's message.",
    apply: (core, message) =>
      core.error?.code === "23505" ? { ...core, error: { type: "duplicate_error", message } } : core,
  },
  caseVariantRefused: {
    reason:
      "core compares emails exactly, and so does its unique index: an account (or a guest) whose email differs from an " +
      "existing one only in case is written beside it, and logins and lookups by email then find either. The plugin " +
      "keeps one account and one guest per email in any case: it throws DUPLICATE_ERROR and writes nothing, so its " +
      "rows and events are core's before the call (the case's coreAnswers: a read of the same data). param: the " +
      "plugin's message.",
    apply: (core, message) => ({ state: core.state, events: [], error: { type: "duplicate_error", message } }),
  },
  emailInAnyCase: {
    reason:
      "core's lookups by email match the lower-cased email exactly, so a customer whose email core's update saved in " +
      "capitals is never found again: a cart setting that email fails to create the guest (the plugin's unique index " +
      "refuses a case variant), the account cannot log in or reset its password. The plugin asks again in any case " +
      "when the exact lookup finds nothing (the row in the unique index first): the plugin answers what core answers " +
      "for that customer's id (the case's coreAnswers).",
    apply: (core) => core,
  },
  unknownKeyRefused: {
    reason:
      "core's update copies every key onto the entity and save() drops those that are no column, silently (and echoes " +
      "them in its result); issue 15 asks the plugin to write every column of the store's entity or refuse, never " +
      "drop: a key that is no column is INVALID_DATA, and nothing is written or emitted. param: the key (the case's " +
      "only one, so core writes nothing either and its rows are the plugin's).",
    apply: (core, key) => ({
      state: core.state,
      events: [],
      error: { type: "invalid_data", message: `Unknown customer field: ${key} (not a column of the Customer entity)` },
    }),
  },
  socialLoginBesideGuest: {
    reason:
      "core refuses a social login (has_account, no password) for the email of an earlier guest checkout ('Guest " +
      "customer with email already exists'), so that shopper can never sign in with it; the plugin creates the account " +
      "beside the guest, as core does for a sign-up with a password (the case's coreAnswers), only without a password " +
      "hash. param: the stand-in password of core's sign-up, whose hash becomes null.",
    apply: (core, password) =>
      mapOutcome(core, (key, v) => (key === "password_hash" && (v as { verifies?: string } | null)?.verifies === password ? null : v)),
  },
  atomicMetadataMerge: {
    reason:
      "the plugin merges metadata inside its UPDATE (core reads, merges in JS and saves, so concurrent updates lose keys). " +
      "One call merges exactly as core does ('' removes a key): nothing to rewrite here; the concurrency is tested by " +
      "admin/writes.spec.ts (50 concurrent updates keep 50 keys).",
    apply: (core) => core,
  },
} satisfies Record<string, Difference>

export type DifferenceName = keyof typeof DOCUMENTED_DIFFERENCES

/** Core's outcome with the differences that apply to `method` and the case's own (`[name, param]`) applied. */
export function expectedOfPlugin(core: Outcome, method: Method, own: [DifferenceName, string?][] = []): Outcome {
  let expected = core
  for (const difference of Object.values(DOCUMENTED_DIFFERENCES) as Difference[]) {
    if (difference.methods?.includes(method)) expected = difference.apply(expected)
  }
  for (const [name, param] of own) expected = (DOCUMENTED_DIFFERENCES[name] as Difference).apply(expected, param)
  return expected
}
