import { defaultOptions, validateOptions } from "../options"

describe("validateOptions", () => {
  it("fills in the defaults, also for the project's own config", () => {
    expect(validateOptions(undefined)).toEqual(defaultOptions())
    expect(validateOptions({})).toEqual(defaultOptions())
    expect(validateOptions({ projectConfig: {}, plugins: [] })).toEqual(defaultOptions())
    expect(validateOptions({ fuzzySearch: false, deepOffset: 500, buildIndexesOnStart: false, cacheApiTokens: false, preparedStatements: false, enableUI: true })).toEqual({
      fuzzySearch: false,
      deepOffset: 500,
      buildIndexesOnStart: false,
      cacheApiTokens: false,
      preparedStatements: false,
      enableUI: true,
    })
    expect(defaultOptions()).toEqual({ fuzzySearch: true, deepOffset: 10_000, buildIndexesOnStart: true, cacheApiTokens: true, preparedStatements: true, enableUI: false })
  })

  it.each([
    [{ deepOffset: "100" }, 'medusa-plugin-customers: option `deepOffset` must be an integer ≥ 1, got "100"'],
    [{ deepOffset: 0 }, "medusa-plugin-customers: option `deepOffset` must be an integer ≥ 1, got 0"],
    [{ fuzzySearch: "yes" }, 'medusa-plugin-customers: option `fuzzySearch` must be true or false, got "yes"'],
    [{ searchLimit: 5 }, "medusa-plugin-customers: option `searchLimit` must be one of fuzzySearch, deepOffset, buildIndexesOnStart, cacheApiTokens, preparedStatements, enableUI (unknown option), got 5"],
    [{ enableUI: "true" }, 'medusa-plugin-customers: option `enableUI` must be true or false, got "true"'],
    [{ cacheApiTokens: 1 }, "medusa-plugin-customers: option `cacheApiTokens` must be true or false, got 1"],
    [{ preparedStatements: "no" }, 'medusa-plugin-customers: option `preparedStatements` must be true or false, got "no"'],
    [[1], "medusa-plugin-customers: option `options` must be an object, got [1]"],
  ])("refuses %j naming the option", (raw, message) => {
    expect(() => validateOptions(raw)).toThrow(message)
  })

  describe("the deep-offset threshold from the environment", () => {
    const saved = process.env.MEDUSA_CUSTOMERS_DEEP_OFFSET
    afterEach(() => {
      if (saved === undefined) delete process.env.MEDUSA_CUSTOMERS_DEEP_OFFSET
      else process.env.MEDUSA_CUSTOMERS_DEEP_OFFSET = saved
    })

    it("reads it as an integer ≥ 1, refusing anything else by the variable's name", () => {
      process.env.MEDUSA_CUSTOMERS_DEEP_OFFSET = " 300 "
      expect(validateOptions(undefined).deepOffset).toBe(300)
      process.env.MEDUSA_CUSTOMERS_DEEP_OFFSET = ""
      expect(validateOptions(undefined).deepOffset).toBe(10_000)
      for (const bad of ["abc", "5_000", "1.5", "-1", "0", "1e3"]) {
        process.env.MEDUSA_CUSTOMERS_DEEP_OFFSET = bad
        expect(() => validateOptions(undefined)).toThrow(
          `medusa-plugin-customers: environment variable MEDUSA_CUSTOMERS_DEEP_OFFSET must be an integer ≥ 1, got ${JSON.stringify(bad)}`
        )
      }
    })
  })
})
