import Medusa from "@medusajs/medusa-js"
import { adminClient, closeDb, db, deliveredEvents, resetCustomers, testEnv } from "../setup/context"

/*
 * Core's cart service through the storefront API (medusa-js), and core's draft orders
 * through the admin API (a draft order's cart is made by the same cart service): a
 * cart's email looks the guest up with customerService.retrieveUnregisteredByEmail and
 * creates one when there is none. With the plugin the lookup also finds a guest core saved in
 * capitals (core alone would create a second guest beside it), a new guest is created
 * once, lower-cased, through the create workflow, and its history entry names the
 * request: the system (no one signed in) and the request's x-request-id.
 */
const storefront = (requestId: string) => new Medusa({ baseUrl: testEnv().baseUrl, maxRetries: 0, customHeaders: { "x-request-id": requestId } })

const REGION = "reg_cart_guests"

async function customersWithEmail(email: string): Promise<{ id: string; email: string; has_account: boolean }[]> {
  const { rows } = await (await db()).query("SELECT id, email, has_account FROM customer WHERE lower(email) = lower($1) ORDER BY id", [email])
  return rows
}

describe("a storefront cart's email finds or creates its guest through the plugin's customerService", () => {
  beforeAll(async () => {
    await resetCustomers()
    const pg = await db()
    await pg.query("DELETE FROM draft_order WHERE cart_id IN (SELECT id FROM cart WHERE region_id = $1)", [REGION])
    await pg.query("DELETE FROM cart WHERE region_id = $1", [REGION])
    await pg.query("DELETE FROM region WHERE id = $1", [REGION])
    await pg.query("INSERT INTO region (id, name, currency_code, tax_rate) VALUES ($1, 'Cart guests', 'usd', 0)", [REGION])
  })

  afterAll(async () => {
    const pg = await db()
    await pg.query("DELETE FROM draft_order WHERE cart_id IN (SELECT id FROM cart WHERE region_id = $1)", [REGION])
    await pg.query("DELETE FROM cart WHERE region_id = $1", [REGION])
    await pg.query("DELETE FROM region WHERE id = $1", [REGION])
    await resetCustomers()
    await closeDb()
  })

  it("attaches the guest core saved in capitals, and creates no second one", async () => {
    await (await db()).query(
      "INSERT INTO customer (id, email, first_name, has_account) VALUES ('cus_legacy_guest', 'Legacy.Guest@Example.com', 'Lea', false)"
    )
    const medusa = storefront("cart-legacy-1")
    const { cart } = await medusa.carts.create({ region_id: REGION })
    const updated = await medusa.carts.update(cart.id, { email: "legacy.guest@example.com" })
    // core's cart takes the email of the customer it attaches, as that customer has it
    expect([updated.cart.email, updated.cart.customer_id]).toEqual(["Legacy.Guest@Example.com", "cus_legacy_guest"])
    expect(await customersWithEmail("legacy.guest@example.com")).toEqual([
      { id: "cus_legacy_guest", email: "Legacy.Guest@Example.com", has_account: false },
    ])
  })

  it("creates one guest for a new email, lower-cased, with a history entry of the system and the request's id", async () => {
    const medusa = storefront("cart-new-guest-1")
    const { cart } = await medusa.carts.create({ region_id: REGION })
    const updated = await medusa.carts.update(cart.id, { email: "New.Guest@Example.com" })
    const guests = await customersWithEmail("new.guest@example.com")
    expect(guests).toEqual([{ id: updated.cart.customer_id, email: "new.guest@example.com", has_account: false }])

    // a second cart with the same email in other capitals gets the same guest
    const other = await storefront("cart-new-guest-2").carts.create({ region_id: REGION })
    const again = await storefront("cart-new-guest-2").carts.update(other.cart.id, { email: "NEW.GUEST@example.com" })
    expect(again.cart.customer_id).toBe(guests[0].id)
    expect(await customersWithEmail("new.guest@example.com")).toHaveLength(1)

    const { history, count } = await adminClient().admin.custom.get(`/admin/customers/${guests[0].id}/history`)
    expect(count).toBe(1)
    expect(history.map((e: Record<string, unknown>) => [e.action, e.actor, e.request_id, e.changes])).toEqual([
      [
        "created",
        { type: "system", id: null },
        "cart-new-guest-1",
        { email: { from: null, to: "new.guest@example.com" }, has_account: { from: null, to: false } },
      ],
    ])
  })

  /** A draft order for `email` made by the admin (no items, no shipping: the cart and its guest are what is tested). */
  async function draftOrder(email: string, requestId: string): Promise<{ cart: { customer_id: string; email: string } }> {
    const admin = adminClient({ customHeaders: { "x-request-id": requestId } })
    const { draft_order } = await admin.admin.draftOrders.create({ email, region_id: REGION, items: [], shipping_methods: [] } as never)
    return draft_order as never
  }

  it("a draft order attaches the guest core saved in capitals, and creates no second one", async () => {
    await (await db()).query(
      "INSERT INTO customer (id, email, first_name, has_account) VALUES ('cus_legacy_draft', 'Draft.Legacy@Example.com', 'Dee', false)"
    )
    const draft = await draftOrder("draft.legacy@example.com", "draft-legacy-1")
    expect([draft.cart.email, draft.cart.customer_id]).toEqual(["Draft.Legacy@Example.com", "cus_legacy_draft"])
    expect(await customersWithEmail("draft.legacy@example.com")).toEqual([
      { id: "cus_legacy_draft", email: "Draft.Legacy@Example.com", has_account: false },
    ])
  })

  it("a draft order for a new email creates one guest, lower-cased, with the admin as its actor and one customer.created", async () => {
    const draft = await draftOrder("Draft.New@Example.com", "draft-new-1")
    const guests = await customersWithEmail("draft.new@example.com")
    expect(guests).toEqual([{ id: draft.cart.customer_id, email: "draft.new@example.com", has_account: false }])
    // a second draft order in other capitals gets the same guest
    expect((await draftOrder("DRAFT.NEW@example.com", "draft-new-2")).cart.customer_id).toBe(guests[0].id)
    expect(await customersWithEmail("draft.new@example.com")).toHaveLength(1)

    const { user } = await adminClient().admin.auth.getSession()
    const { history, count } = await adminClient().admin.custom.get(`/admin/customers/${guests[0].id}/history`)
    expect(count).toBe(1)
    expect(history.map((e: Record<string, unknown>) => [e.action, e.actor, e.request_id, e.changes])).toEqual([
      [
        "created",
        { type: "user", id: user.id },
        "draft-new-1",
        { email: { from: null, to: "draft.new@example.com" }, has_account: { from: null, to: false } },
      ],
    ])
    // counted by the test store's own subscriber (fixtures/store-extensions), once delivered and again after
    expect((await deliveredEvents(guests[0].id, 1)).map((e) => e.event)).toEqual(["customer.created"])
    await new Promise((resolve) => setTimeout(resolve, 2000))
    expect((await deliveredEvents(guests[0].id, 0)).map((e) => e.event)).toEqual(["customer.created"])
  })

  it("a draft order for an account's email gets a guest beside the account, as core's does", async () => {
    await (await db()).query(
      "INSERT INTO customer (id, email, first_name, has_account) VALUES ('cus_draft_account', 'draft.account@example.com', 'Ada', true)"
    )
    const draft = await draftOrder("Draft.Account@Example.com", "draft-account-1")
    expect(draft.cart.customer_id).not.toBe("cus_draft_account")
    const customers = await customersWithEmail("draft.account@example.com")
    expect(customers.filter((c) => c.has_account)).toEqual([{ id: "cus_draft_account", email: "draft.account@example.com", has_account: true }])
    expect(customers.filter((c) => !c.has_account)).toEqual([{ id: draft.cart.customer_id, email: "draft.account@example.com", has_account: false }])
  })
})
