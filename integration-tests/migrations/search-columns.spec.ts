import { Client } from "pg"
import { seedCustomer } from "../factories/customer"
import { adminClient, closeDb, db, resetCustomers, testEnv } from "../setup/context"

/* The stored search texts: kept by a trigger whoever writes; rows without them still found. */

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

  it("are not needed to find a row written with triggers disabled: its texts are computed until they are stored", async () => {
    const pg = await db()
    const zoe = await seedCustomer({ first_name: "Zoë", last_name: "Müller-García", email: "zoe.m@example.com", phone: "+1 (555) 867-5309" })
    const zoey = await seedCustomer({ first_name: "Zoey", last_name: "Zoellner", email: "zz@example.com" })
    const medusa = adminClient()
    const search = async (q: string) => {
      const { customers, count } = await medusa.admin.customers.list({ q } as never)
      return { ids: customers.map((c) => c.id), count }
    }
    const queries = ["zoe", "muller garcia", "5558675309", "zoe.m@example.com", "Zoelner"]
    const found = await Promise.all(queries.map(search))
    expect(found.map((r) => r.count)).toEqual([2, 1, 1, 1, 1])
    expect([found[1].ids, found[2].ids, found[3].ids, found[4].ids]).toEqual([[zoe], [zoe], [zoe], [zoey]])

    // as a load with triggers disabled leaves a row: no stored texts
    await pg.query(`UPDATE customer SET search_name = NULL, search_email = NULL, search_last_name = NULL, search_phone = NULL WHERE id = $1`, [zoe])
    const replica = new Client({ connectionString: testEnv().databaseUrl })
    await replica.connect()
    try {
      await replica.query("SET session_replication_role = replica")
      await replica.query("INSERT INTO customer (id, email, first_name, last_name, has_account) VALUES ('cus_replica_zoe', 'r@example.com', 'Zoé', 'Loaded', false)")
    } finally {
      await replica.end()
    }
    expect(await stored("cus_replica_zoe")).toEqual({ search_name: null, search_email: null, search_last_name: null, search_phone: null })
    const loaded = await Promise.all(queries.map(search))
    expect(loaded.slice(1)).toEqual(found.slice(1))
    expect(loaded[0].count).toBe(3)
    expect(loaded[0].ids.filter((id) => id !== "cus_replica_zoe")).toEqual(found[0].ids)
  })
})
