import * as models from "@medusajs/medusa/dist/models"
import { DataSource, type EntityManager } from "typeorm"
import { customerJsonTexts, withCustomerJson } from "../customer-json"

type FakeColumn = { propertyName: string; databaseName: string; type: unknown; isSelect: boolean; isVirtual: boolean }

const column = (name: string, type: unknown, isSelect = true): FakeColumn => ({
  propertyName: name,
  databaseName: name,
  type,
  isSelect,
  isVirtual: false,
})

/** A manager whose Customer metadata has `columns`. */
function fakeManager(columns: FakeColumn[]) {
  const metadata = { columns, embeddeds: [] }
  return { manager: { connection: { getMetadata: () => metadata } } as unknown as EntityManager }
}

const CUSTOMER = [
  column("id", String),
  column("created_at", "timestamp with time zone"),
  column("email", "varchar"),
  column("password_hash", "varchar", false),
  column("has_account", "boolean"),
  column("metadata", "jsonb"),
]

const PAGE = { sql: "SELECT c.id FROM customer c ORDER BY c.email LIMIT $1", params: [2] }

describe("withCustomerJson and customerJsonTexts", () => {
  it("adds each customer's JSON to a page's statement, in the page's order, PostgreSQL writing the plain columns", () => {
    const { manager } = fakeManager(CUSTOMER)
    const statement = withCustomerJson(manager, PAGE)!
    expect(statement.params).toEqual([2])
    expect(statement.sql).toContain(`FROM (SELECT page.*, row_number() OVER () AS position FROM (${PAGE.sql}) page) p`)
    expect(statement.sql).toMatch(/WHERE c\.id = p\.id AND c\.deleted_at IS NULL\) j\s+ORDER BY p\.position$/)
    expect(statement.sql).toContain(`to_char(c."created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "created_at"`)
    expect(statement.sql).toContain(`c."metadata" AS extra`)
    expect(statement.sql).not.toContain("password_hash")
  })

  it("has JavaScript write the jsonb column, rows kept in their order", () => {
    const { manager } = fakeManager(CUSTOMER)
    const rows = [
      { json: '{"id":"b","created_at":"2024-01-01T00:00:00.000Z","email":"b@x","has_account":false}', exact: true, extra: { n: 1.5 } },
      { json: '{"id":"a","created_at":null,"email":"a@x","has_account":true}', exact: true, extra: null },
    ]
    expect(customerJsonTexts(manager, rows)).toEqual([
      '{"id":"b","created_at":"2024-01-01T00:00:00.000Z","email":"b@x","has_account":false,"metadata":{"n":1.5}}',
      '{"id":"a","created_at":null,"email":"a@x","has_account":true,"metadata":null}',
    ])
    expect(customerJsonTexts(manager, [])).toEqual([])
    const noJsonb = fakeManager(CUSTOMER.filter((c) => c.propertyName !== "metadata"))
    expect(customerJsonTexts(noJsonb.manager, [{ json: '{"id":"a"}', exact: true }])).toEqual(['{"id":"a"}'])
  })

  it("gives up when a timestamp is out of JavaScript's four-digit years, or for columns it cannot write exactly", () => {
    const { manager } = fakeManager(CUSTOMER)
    expect(customerJsonTexts(manager, [{ json: "{}", exact: true, extra: null }, { json: "{}", exact: false, extra: null }])).toBeUndefined()

    const numeric = fakeManager([column("id", String), column("points", "numeric")])
    expect(withCustomerJson(numeric.manager, PAGE)).toBeUndefined()
    expect(customerJsonTexts(numeric.manager, [])).toBeUndefined()

    const jsonbInTheMiddle = fakeManager([column("id", String), column("metadata", "jsonb"), column("email", "varchar")])
    expect(withCustomerJson(jsonbInTheMiddle.manager, PAGE)).toBeUndefined()
  })

  it("plans every public column of Medusa's own Customer, in TypeORM's order", async () => {
    // TypeORM's metadata for Medusa's models, built without connecting
    const entities = (Object.values(models) as unknown[]).filter((value): value is () => void => typeof value === "function")
    const dataSource = new DataSource({ type: "postgres", entities })
    await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas()
    const manager = { connection: dataSource } as unknown as EntityManager
    const { sql } = withCustomerJson(manager, PAGE)!
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
