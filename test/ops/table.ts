import { expect } from "chai";
import { markdownTable } from "../../scripts/lib/table";

describe("markdownTable (scripts/lib/table.ts)", function () {
  it("pads every column to its widest cell, header included, and keeps key order", function () {
    expect(
      markdownTable(
        [
          { contract: "GS1Mock", seconds: 38 },
          { contract: "SupplyChain", seconds: 110 },
        ],
        "  ",
      ),
    ).to.deep.equal([
      "  | contract    | seconds |",
      "  |-------------|---------|",
      "  | GS1Mock     | 38      |",
      "  | SupplyChain | 110     |",
    ]);
  });

  it("prints nothing for no rows and an empty cell for a missing value", function () {
    expect(markdownTable([])).to.deep.equal([]);
    expect(markdownTable([{ a: "x", b: undefined }])[2]).to.equal("| x |   |");
  });
});
