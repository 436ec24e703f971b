import * as models from "@medusajs/medusa/dist/models"
import { DataSource, type EntityManager } from "typeorm"
import { loadCustomerJson } from "../customer-json"

type FakeColumn = { propertyName: string; databaseName: string; type: unknown; isSelect: boolean; isVirtual: boolean }

const column = (name: string, type: unknown, isSelect = true): FakeColumn => ({
  propertyName: name,
  databaseName: name,
  type,
  isSelect,
  isVirtual: false,
})

/** A manager whose Customer metadata has `columns`, answering queries with `rows`. */
function fakeManager(columns: FakeColumn[], rows: unknown[] = []) {
  const metadata = { columns, embeddeds: [] }
  const query = jest.fn(async () => rows)
  const manager = { connection: { getMetadata: () => metadata }, query } as unknown as EntityManager
  return { manager, query }
}

const CUSTOMER = [
  column("id", String),
  column("created_at", "timestamp with time zone"),
  column("email", "varchar"),
  column("password_hash", "varchar", false),
  column("has_account", "boolean"),
  column("metadata", "jsonb"),
]

describe("loadCustomerJson", () => {
  it("has PostgreSQL write the plain columns, JavaScript the jsonb one, in the order of the ids", async () => {
    const { manager, query } = fakeManager(CUSTOMER, [
      { id: "b", json: '{"id":"b","created_at":"2024-01-01T00:00:00.000Z","email":"b@x","has_account":false}', exact: true, extra: { n: 1.5 } },
      { id: "a", json: '{"id":"a","created_at":null,"email":"a@x","has_account":true}', exact: true, extra: null },
    ])
    expect(await loadCustomerJson(manager, ["a", "missing", "b"])).toEqual([
      '{"id":"a","created_at":null,"email":"a@x","has_account":true,"metadata":null}',
      '{"id":"b","created_at":"2024-01-01T00:00:00.000Z","email":"b@x","has_account":false,"metadata":{"n":1.5}}',
    ])
    const [sql, params] = query.mock.calls[0] as unknown as [string, unknown[]]
    expect(params).toEqual([["a", "missing", "b"]])
    expect(sql).toContain(`to_char(c."created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "created_at"`)
    expect(sql).toContain(`c."metadata" AS extra`)
    expect(sql).not.toContain("password_hash")
  })

  it("gives up when a timestamp is out of JavaScript's four-digit years, or for columns it cannot write exactly", async () => {
    const outOfRange = fakeManager(CUSTOMER, [{ id: "a", json: "{}", exact: false, extra: null }])
    expect(await loadCustomerJson(outOfRange.manager, ["a"])).toBeUndefined()

    const numeric = fakeManager([column("id", String), column("points", "numeric")])
    expect(await loadCustomerJson(numeric.manager, ["a"])).toBeUndefined()
    expect(numeric.query).not.toHaveBeenCalled()

    const jsonbInTheMiddle = fakeManager([column("id", String), column("metadata", "jsonb"), column("email", "varchar")])
    expect(await loadCustomerJson(jsonbInTheMiddle.manager, ["a"])).toBeUndefined()
  })

  it("asks nothing for an empty page", async () => {
    const { manager, query } = fakeManager(CUSTOMER)
    expect(await loadCustomerJson(manager, [])).toEqual([])
    expect(query).not.toHaveBeenCalled()
  })

  it("plans every public column of Medusa's own Customer, in TypeORM's order", async () => {
    // TypeORM's metadata for Medusa's models, built without connecting
    const entities = (Object.values(models) as unknown[]).filter((value): value is () => void => typeof value === "function")
    const dataSource = new DataSource({ type: "postgres", entities })
    await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas()
    let sql = ""
    const manager = { connection: dataSource, query: async (text: string) => ((sql = text), []) } as unknown as EntityManager
    expect(await loadCustomerJson(manager, ["cus_1"])).toEqual([])
    const stamp = (c: string) => `to_char(c."${c}" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "${c}"`
    const plain = (c: string) => `c."${c}" AS "${c}"`
    expect(sql).toContain(
      `CROSS JOIN LATERAL (SELECT ${[
        plain("id"),
        stamp("created_at"),
        stamp("updated_at"),
        stamp("deleted_at"),
        ...["email", "first_name", "last_name", "billing_address_id", "phone", "has_account"].map(plain),
      ].join(", ")}) r`
    )
    expect(sql).toContain(`c."metadata" AS extra`)
    expect(sql).not.toContain("password_hash")
  })
})
