/**
 * Issue 11 item 5: the SDK's enum mirrors are tested against the compiled contracts' ASTs (Hardhat's
 * build info), names and values, so that a member added, removed or reordered in Solidity fails here
 * instead of shipping a wrong number. A Solidity enum's values are its members' positions.
 */
import { expect } from "chai";
import { artifacts } from "hardhat";
import * as supply from "../../../src/supply";
import * as records from "../../../src/records";

interface AstNode {
  nodeType: string;
  name?: string;
  nodes?: AstNode[];
  members?: AstNode[];
  constant?: boolean;
  value?: AstNode & { value?: string };
}

/** The AST of contract/interface/library `contractName` in `source`. */
async function definition(source: string, contractName: string): Promise<AstNode> {
  const buildInfo = await artifacts.getBuildInfo(`${source}:${contractName}`);
  if (buildInfo === undefined) throw new Error(`no build info for ${source}:${contractName}`);
  const ast = buildInfo.output.sources[source].ast as AstNode;
  const contract = ast.nodes?.find((n) => n.nodeType === "ContractDefinition" && n.name === contractName);
  if (contract === undefined) throw new Error(`${contractName} not found in ${source}`);
  return contract;
}

/** The literal value of constant `name` of `contractName` (a number literal in the source). */
async function constantValue(source: string, contractName: string, name: string): Promise<number> {
  const contract = await definition(source, contractName);
  const variable = contract.nodes?.find((n) => n.nodeType === "VariableDeclaration" && n.name === name);
  const literal = variable?.value;
  if (variable?.constant !== true || literal?.nodeType !== "Literal" || literal.value === undefined) {
    throw new Error(`${contractName}.${name} is not a literal constant in ${source}`);
  }
  return Number(literal.value);
}

/** The members of enum `enumName` declared in contract/interface `contractName` of `source`, in order. */
async function enumMembers(source: string, contractName: string, enumName: string): Promise<string[]> {
  const contract = await definition(source, contractName);
  const found = contract.nodes?.find((n) => n.nodeType === "EnumDefinition" && n.name === enumName);
  if (found === undefined) throw new Error(`${contractName}.${enumName} not found in ${source}`);
  return (found.members ?? []).map((m) => m.name as string);
}

/** The members of a TypeScript numeric enum as [name, value] pairs, in value order. */
function sdkMembers(mirror: Record<string, string | number>): [string, number][] {
  return Object.entries(mirror)
    .filter((entry): entry is [string, number] => typeof entry[1] === "number")
    .sort((a, b) => a[1] - b[1]);
}

const SUPPLY_TYPES = "contracts/interfaces/supply/ISupplyTypes.sol";
const RECORD_TYPES = "contracts/interfaces/records/IRecordTypes.sol";
const DIRECTIVES = "contracts/interfaces/records/IPatientDirectives.sol";
const EMERGENCY = "contracts/interfaces/records/IEmergencyAccess.sol";

const MIRRORS: { source: string; contract: string; name: string; mirror: Record<string, string | number> }[] = [
  { source: SUPPLY_TYPES, contract: "ISupplyTypes", name: "LotStatus", mirror: supply.LotStatus },
  { source: SUPPLY_TYPES, contract: "ISupplyTypes", name: "RecallClass", mirror: supply.RecallClass },
  { source: SUPPLY_TYPES, contract: "ISupplyTypes", name: "DecommissionReason", mirror: supply.DecommissionReason },
  { source: SUPPLY_TYPES, contract: "ISupplyTypes", name: "HoldOrigin", mirror: supply.HoldOrigin },
  { source: SUPPLY_TYPES, contract: "ISupplyTypes", name: "UnitCheck", mirror: supply.UnitCheck },
  { source: RECORD_TYPES, contract: "IRecordTypes", name: "AccessReason", mirror: records.AccessReason },
  { source: DIRECTIVES, contract: "IPatientDirectives", name: "DenyScope", mirror: records.DenyScope },
  { source: EMERGENCY, contract: "IEmergencyAccess", name: "EmergencyReason", mirror: records.EmergencyReason },
];

describe("SDK enum mirrors match the contracts' ASTs", function () {
  for (const { source, contract, name, mirror } of MIRRORS) {
    it(`${contract}.${name} (${source})`, async function () {
      const solidity = await enumMembers(source, contract, name);
      expect(solidity[0], "an enum starts at None").to.equal("None");
      expect(sdkMembers(mirror)).to.deep.equal(solidity.map((member, value) => [member, value]));
    });
  }

  it("RecordCategory matches RecordCategories (contracts/libraries), code by code, and its mask", async function () {
    const source = "contracts/libraries/RecordCategories.sol";
    const names = Object.keys(records.RecordCategory) as records.RecordCategoryName[];
    for (const name of names) {
      const constant = name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
      expect(await constantValue(source, "RecordCategories", constant), name).to.equal(records.RecordCategory[name]);
    }
    expect(await constantValue(source, "RecordCategories", "MAX")).to.equal(names.length - 1);
    expect(await constantValue(source, "RecordCategories", "ALL")).to.equal(records.ALL_CATEGORIES);
    expect(records.categoryMask(names)).to.equal(records.ALL_CATEGORIES);
  });

  it("purposes, actions and guardian powers match RecordsBase's constants", async function () {
    const source = "contracts/records/RecordsBase.sol";
    const value = (name: string) => constantValue(source, "RecordsBase", name);
    expect(await value("_MAX_PURPOSE")).to.equal(Math.max(...Object.values(records.Purpose)));
    expect(await value("_ALL_PURPOSES")).to.equal(records.ALL_PURPOSES);
    expect(await value("_ALL_PURPOSES")).to.equal(
      records.purposeMask(Object.keys(records.Purpose) as records.PurposeName[]),
    );
    expect(await value("_PURPOSE_TREATMENT")).to.equal(records.Purpose.Treatment);
    expect(await value("_ACTION_READ")).to.equal(records.Action.Read);
    expect(await value("_ALL_ACTIONS")).to.equal(records.Action.Read | records.Action.Append);
    expect(await value("_POWER_GRANT")).to.equal(records.GuardianPower.Grant);
    expect(await value("_POWER_REVOKE")).to.equal(records.GuardianPower.Revoke);
    expect(await value("_POWER_DENY")).to.equal(records.GuardianPower.Deny);
    expect(await value("_POWER_REVIEW")).to.equal(records.GuardianPower.ReviewEmergency);
    expect(await value("_ALL_POWERS")).to.equal(records.ALL_GUARDIAN_POWERS);
  });

  it("lotStatusSet and lotStatusesOf round-trip every status bit as LotUnexpectedStatus carries it", function () {
    const all = sdkMembers(supply.LotStatus).map(([, value]) => value as supply.LotStatus);
    const set = supply.lotStatusSet(...all);
    expect(set).to.have.length(66);
    expect(supply.lotStatusesOf(set)).to.deep.equal(all);
    expect(supply.lotStatusSet(supply.LotStatus.Active, supply.LotStatus.Quarantined)).to.equal(
      "0x" + (0b110).toString(16).padStart(64, "0"),
    );
  });
});
