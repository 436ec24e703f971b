import { defaultOptions, validateOptions } from "../options"

describe("validateOptions", () => {
  it("fills in the defaults, also for the project's own config", () => {
    expect(validateOptions(undefined)).toEqual(defaultOptions())
    expect(validateOptions({})).toEqual(defaultOptions())
    expect(validateOptions({ projectConfig: {}, plugins: [] })).toEqual(defaultOptions())
    expect(validateOptions({ fuzzySearch: false, deepOffset: 500, buildIndexesOnStart: false })).toEqual({
      fuzzySearch: false,
      deepOffset: 500,
      buildIndexesOnStart: false,
    })
  })

  it.each([
    [{ deepOffset: "100" }, 'medusa-plugin-customers: option `deepOffset` must be an integer ≥ 1, got "100"'],
    [{ deepOffset: 0 }, "medusa-plugin-customers: option `deepOffset` must be an integer ≥ 1, got 0"],
    [{ fuzzySearch: "yes" }, 'medusa-plugin-customers: option `fuzzySearch` must be true or false, got "yes"'],
    [{ searchLimit: 5 }, "medusa-plugin-customers: option `searchLimit` must be one of fuzzySearch, deepOffset, buildIndexesOnStart (unknown option), got 5"],
    [[1], "medusa-plugin-customers: option `options` must be an object, got [1]"],
  ])("refuses %j naming the option", (raw, message) => {
    expect(() => validateOptions(raw)).toThrow(message)
  })
})
