import { seedCustomer } from "../factories/customer"
import { adminClient, closeDb, db, resetCustomers } from "../setup/context"

/* The stored search texts: kept by a trigger whoever writes, and made by their migration. */
const { CustomerSearchColumns1764400000007 } = require("../../dist/migrations/1764400000007-customer-search-columns")
const { SEARCH_INDEXES, TRIGRAM_INDEXES } = require("../../dist/lib/search-schema")

type Texts = { search_name: string | null; search_email: string | null; search_last_name: string | null; search_phone: string | null }

async function stored(id: string): Promise<Texts> {
  const { rows } = await (await db()).query(
    "SELECT search_name, search_email, search_last_name, search_phone FROM customer WHERE id = $1",
    [id]
  )
  return rows[0]
}

/** What the indexed functions make of the row's columns now. */
async function computed(id: string): Promise<Texts> {
  const { rows } = await (await db()).query(
    `SELECT customers_name_doc(first_name, last_name) AS search_name, customers_norm(email) AS search_email,
            customers_norm(last_name) AS search_last_name, customers_digits(phone) AS search_phone
       FROM customer WHERE id = $1`,
    [id]
  )
  return rows[0]
}

describe("stored search texts", () => {
  beforeEach(resetCustomers)
  afterAll(closeDb)

  it("are kept by the trigger on create and update through the API, and on raw SQL writes", async () => {
    const medusa = adminClient()
    const { customer } = await medusa.admin.customers.create({
      email: "Zoe.Muller@Example.com",
      first_name: "Zoë",
      last_name: "Müller-García",
      password: "supersecret-1",
    })
    expect(await stored(customer.id)).toEqual({
      search_name: "zoe muller-garcia",
      search_email: "zoe.muller@example.com",
      search_last_name: "muller-garcia",
      search_phone: null,
    })
    await medusa.admin.customers.update(customer.id, { last_name: "Ångström", phone: "+44 (0)20 7946-0018" })
    expect(await stored(customer.id)).toEqual({
      search_name: "zoe angstrom",
      search_email: "zoe.muller@example.com",
      search_last_name: "angstrom",
      search_phone: "4402079460018",
    })
    const pg = await db()
    await pg.query("UPDATE customer SET first_name = NULL, email = 'RAW@EXAMPLE.COM', phone = NULL WHERE id = $1", [customer.id])
    expect(await stored(customer.id)).toEqual(await computed(customer.id))
    expect((await stored(customer.id)).search_name).toBe(" angstrom")

    // and the search finds what was written last, not what was there before
    const found = async (q: string) => (await medusa.admin.customers.list({ q } as never)).customers.map((c) => c.id)
    expect(await found("raw@example")).toEqual([customer.id])
    expect(await found("zoe")).toEqual([])
  })

  it("are made by a migration that can be undone and redone, the expression indexes coming back meanwhile", async () => {
    const pg = await db()
    const ids = [await seedCustomer({ first_name: "Caterina", last_name: "Yost", phone: "555.867.5309" }), await seedCustomer()]
    const queryRunner = { query: async (sql: string, params?: unknown[]) => (await pg.query(sql, params)).rows }
    const migration = new CustomerSearchColumns1764400000007()
    const columnIndexes = SEARCH_INDEXES.filter((i: { name: string }) => i.name.includes("_search_")).map((i: { name: string }) => i.name)
    const indexes = async () =>
      (await pg.query("SELECT relname FROM pg_class WHERE relname = ANY($1) ORDER BY relname", [[...columnIndexes, ...TRIGRAM_INDEXES]])).rows.map(
        (r: { relname: string }) => r.relname
      )
    const columns = async () =>
      (await pg.query("SELECT attname FROM pg_attribute WHERE attrelid = 'customer'::regclass AND attname LIKE 'search\\_%' AND NOT attisdropped ORDER BY attname")).rows.map(
        (r: { attname: string }) => r.attname
      )
    try {
      await migration.down(queryRunner)
      expect(await columns()).toEqual([])
      expect(await indexes()).toEqual([...TRIGRAM_INDEXES].sort())
    } finally {
      await migration.up(queryRunner)
    }
    expect(await columns()).toEqual(["search_email", "search_last_name", "search_name", "search_phone"])
    expect(await indexes()).toEqual([...columnIndexes].sort())
    for (const id of ids) expect(await stored(id)).toEqual(await computed(id))
    expect((await stored(ids[0])).search_phone).toBe("5558675309")
  })
})
