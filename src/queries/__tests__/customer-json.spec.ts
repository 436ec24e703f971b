import type { EntityManager } from "typeorm"
import { jsonColumns, jsonTexts } from "../customer-json"

type FakeColumn = { propertyName: string; databaseName: string; type: unknown; isSelect: boolean; isVirtual: boolean }

const column = (name: string, type: unknown, isSelect = true): FakeColumn => ({
  propertyName: name,
  databaseName: name,
  type,
  isSelect,
  isVirtual: false,
})

/** A manager whose Customer metadata has `columns`. */
const fakeManager = (columns: FakeColumn[]) =>
  ({ connection: { getMetadata: () => ({ columns, embeddeds: [] }) } }) as unknown as EntityManager

const CUSTOMER = [
  column("id", String),
  column("created_at", "timestamp with time zone"),
  column("email", "varchar"),
  column("password_hash", "varchar", false),
  column("has_account", "boolean"),
  column("metadata", "jsonb"),
]

describe("customer JSON written by PostgreSQL", () => {
  it("selects the plain columns as PostgreSQL writes them, never password_hash, and the jsonb one apart", () => {
    const json = jsonColumns(fakeManager(CUSTOMER))!
    expect(json.lateral).toBe(
      `CROSS JOIN LATERAL (SELECT c."id" AS "id", to_char(c."created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "created_at", ` +
        `c."email" AS "email", c."has_account" AS "has_account") r`
    )
    expect(json.columns).toBe(
      `row_to_json(r)::text AS json, (c."created_at" IS NULL OR c."created_at" BETWEEN '0001-01-01 00:00:00+00' AND '9999-12-31 23:59:59.999999+00') AS exact, c."metadata" AS extra`
    )
  })

  it("splices the jsonb column in last, as JSON.stringify writes it", () => {
    const json = jsonColumns(fakeManager(CUSTOMER))!
    const rows = [
      { id: "a", json: '{"id":"a","created_at":null,"email":"a@x","has_account":true}', exact: true, extra: null },
      { id: "b", json: '{"id":"b","created_at":"2024-01-01T00:00:00.000Z","email":"b@x","has_account":false}', exact: true, extra: { n: 1.5, "é": [null] } },
    ]
    expect(jsonTexts(json, rows)).toEqual([
      '{"id":"a","created_at":null,"email":"a@x","has_account":true,"metadata":null}',
      '{"id":"b","created_at":"2024-01-01T00:00:00.000Z","email":"b@x","has_account":false,"metadata":{"n":1.5,"é":[null]}}',
    ])
  })

  it("gives up on a timestamp out of JavaScript's four-digit years, and on columns it cannot write exactly", () => {
    const json = jsonColumns(fakeManager(CUSTOMER))!
    expect(jsonTexts(json, [{ id: "a", json: "{}", exact: false, extra: null }])).toBeUndefined()
    expect(jsonColumns(fakeManager([column("id", String), column("points", "numeric")]))).toBeNull()
    expect(jsonColumns(fakeManager([column("id", String), column("metadata", "jsonb"), column("email", "varchar")]))).toBeNull()
  })
})
