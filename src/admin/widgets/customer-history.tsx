import type { CustomerDetailsWidgetProps, WidgetConfig } from "@medusajs/admin"
import { useAdminCustomQuery } from "medusa-react"

/** One entry of GET /admin/customers/:id/history (docs/extending.md, "The history"). */
type HistoryEntry = {
  id: string
  action: "created" | "updated"
  actor: { type: "user" | "customer" | "system"; id: string | null }
  changes: Record<string, { from?: unknown; to?: unknown; changed?: boolean }>
  groups: { added: string[]; removed: string[] } | null
  created_at: string
}
type HistoryResponse = { history: HistoryEntry[]; count: number; offset: number; limit: number }

const show = (value: unknown): string => (value === null || value === undefined || value === "" ? "∅" : typeof value === "string" ? value : JSON.stringify(value))

const who = ({ type, id }: HistoryEntry["actor"]): string => (type === "system" ? "system" : `${type} ${id ?? ""}`.trim())

/** "field: from → to" for each change; a password only says it changed. */
function describe(entry: HistoryEntry): string[] {
  const lines = Object.entries(entry.changes ?? {}).map(([field, change]) =>
    change.changed ? `${field}: changed` : `${field}: ${show(change.from)} → ${show(change.to)}`
  )
  if (entry.groups?.added.length) lines.push(`groups added: ${entry.groups.added.join(", ")}`)
  if (entry.groups?.removed.length) lines.push(`groups removed: ${entry.groups.removed.join(", ")}`)
  return lines
}

/**
 * The customer's history below the customer's details in the Medusa Admin: who
 * changed what, when, newest first. Asked again whenever the customer's
 * `updated_at` moves (the dashboard refetches the customer after an edit).
 */
const CustomerHistoryWidget = ({ customer }: CustomerDetailsWidgetProps) => {
  const { data, isLoading, isError } = useAdminCustomQuery<{ limit: number }, HistoryResponse>(
    `/admin/customers/${customer.id}/history`,
    ["customer-history", customer.id, String(customer.updated_at)],
    { limit: 20 }
  )

  return (
    <div className="bg-grey-0 border-grey-20 rounded-rounded border px-xlarge py-large" data-testid="customer-history">
      <h2 className="inter-xlarge-semibold mb-base">History</h2>
      {isLoading && <p className="inter-base-regular text-grey-50">Loading…</p>}
      {isError && <p className="inter-base-regular text-rose-50">The history could not be loaded.</p>}
      {data && data.history.length === 0 && <p className="inter-base-regular text-grey-50">No changes recorded yet.</p>}
      {data && data.history.length > 0 && (
        <ol className="flex flex-col gap-y-base">
          {data.history.map((entry) => (
            <li key={entry.id} className="border-grey-20 border-l-2 pl-base" data-testid="customer-history-entry">
              <p className="inter-base-semibold">
                <span data-testid="customer-history-who">
                  {entry.action === "created" ? "Created" : "Updated"} by {who(entry.actor)}
                </span>
                <time className="inter-small-regular text-grey-50 ml-small" dateTime={entry.created_at}>
                  {new Date(entry.created_at).toLocaleString()}
                </time>
              </p>
              <ul className="inter-small-regular text-grey-70">
                {describe(entry).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      )}
      {data && data.count > data.history.length && (
        <p className="inter-small-regular text-grey-50 mt-base">
          The {data.history.length} latest of {data.count} entries.
        </p>
      )}
    </div>
  )
}

export const config: WidgetConfig = { zone: "customer.details.after" }

export default CustomerHistoryWidget
