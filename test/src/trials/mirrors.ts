/**
 * The SDK's trials mirrors (src/trials/enums.ts, src/trials/flags.ts) against the compiled contracts:
 * every enum of ITrialTypes and every constant of the TrialFlags library is read from the AST in
 * artifacts/build-info and compared, names and values, with the SDK's. A member added, removed or
 * reordered on either side fails here.
 */
import { expect } from "chai";
import fs from "fs";
import { artifacts } from "hardhat";
import {
  ALL_TRIAL_CATEGORIES,
  AmendmentStatus,
  OutcomeReport,
  PARTICIPATION_WITHDRAWN,
  ParticipationFlag,
  ReconsentPolicy,
  SignatureMeaning,
  TrialFlag,
  TrialStatus,
  WithdrawalChoice,
  hasTrialFlag,
  isEnrolled,
  isWithdrawn,
  participationFlagNames,
  participationFlags,
  trialFlags,
  trialStates,
  trialStatesOf,
  withdrawalOf,
} from "../../../src/trials";

interface AstNode {
  nodeType: string;
  name?: string;
  nodes?: AstNode[];
  members?: AstNode[];
  constant?: boolean;
  value?: AstNode;
  operator?: string;
  leftExpression?: AstNode;
  rightExpression?: AstNode;
  components?: AstNode[];
  typeDescriptions?: { typeString?: string };
}

/** The AST of `source` from the build-info that compiled it. */
async function astOf(source: string): Promise<AstNode> {
  for (const id of await artifacts.getBuildInfoPaths()) {
    const info = JSON.parse(fs.readFileSync(id, "utf8")) as {
      output: { sources: Record<string, { ast: AstNode }> };
    };
    const s = info.output.sources[source];
    if (s) return s.ast;
  }
  throw new Error(`no build-info compiled ${source}: run npx hardhat compile`);
}

function definition(ast: AstNode, name: string): AstNode {
  const found = (ast.nodes ?? []).find((n) => n.nodeType === "ContractDefinition" && n.name === name);
  if (!found) throw new Error(`${name} not in the AST`);
  return found;
}

/** Names and values of the enums declared in `contract`, as {enumName: {member: index}}. */
function enumsOf(contract: AstNode): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const n of contract.nodes ?? []) {
    if (n.nodeType !== "EnumDefinition") continue;
    out[n.name!] = Object.fromEntries((n.members ?? []).map((m, i) => [m.name!, i]));
  }
  return out;
}

/** A TypeScript numeric enum as {member: value}. */
function tsEnum(e: Record<string, string | number>): Record<string, number> {
  return Object.fromEntries(Object.entries(e).filter(([, v]) => typeof v === "number")) as Record<string, number>;
}

/** Evaluates a constant's initialiser: literals, parentheses, << | + - and other constants. */
function evaluate(node: AstNode, env: Record<string, bigint>): bigint {
  const folded = /^int_const (-?\d+)$/.exec(node.typeDescriptions?.typeString ?? "");
  if (folded) return BigInt(folded[1]);
  switch (node.nodeType) {
    case "Identifier":
      if (env[node.name!] === undefined) throw new Error(`unknown constant ${node.name}`);
      return env[node.name!];
    case "TupleExpression":
      return evaluate(node.components![0], env);
    case "BinaryOperation": {
      const l = evaluate(node.leftExpression!, env);
      const r = evaluate(node.rightExpression!, env);
      const ops: Record<string, (a: bigint, b: bigint) => bigint> = {
        "|": (a, b) => a | b,
        "<<": (a, b) => a << b,
        "+": (a, b) => a + b,
        "-": (a, b) => a - b,
      };
      if (!ops[node.operator!]) throw new Error(`operator ${node.operator} not supported`);
      return ops[node.operator!](l, r);
    }
    default:
      throw new Error(`cannot evaluate a ${node.nodeType}`);
  }
}

/** The constants of library `name` in `source`, by name. */
async function constantsOf(source: string, name: string): Promise<Record<string, bigint>> {
  const env: Record<string, bigint> = {};
  for (const n of definition(await astOf(source), name).nodes ?? []) {
    if (n.nodeType === "VariableDeclaration" && n.constant) env[n.name!] = evaluate(n.value!, env);
  }
  return env;
}

/** SCREAMING_SNAKE of a PascalCase name, with a prefix: ("P_", "NoFurtherCollection") → P_NO_FURTHER_COLLECTION. */
function constantName(prefix: string, name: string): string {
  return prefix + name.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

describe("SDK trials: mirrors of the compiled contracts", function () {
  describe("enums (ITrialTypes)", function () {
    const sdk: Record<string, Record<string, number>> = {
      TrialStatus: tsEnum(TrialStatus),
      ReconsentPolicy: tsEnum(ReconsentPolicy),
      AmendmentStatus: tsEnum(AmendmentStatus),
      OutcomeReport: tsEnum(OutcomeReport),
      SignatureMeaning: tsEnum(SignatureMeaning),
      WithdrawalChoice: tsEnum(WithdrawalChoice),
    };

    it("mirrors every enum of ITrialTypes, names and values, and no other", async function () {
      const compiled = enumsOf(definition(await astOf("contracts/interfaces/ITrialTypes.sol"), "ITrialTypes"));
      expect(Object.keys(compiled).sort()).to.deep.equal(Object.keys(sdk).sort());
      for (const [name, members] of Object.entries(compiled)) expect(sdk[name], name).to.deep.equal(members);
    });

    it("starts every enum at None, so that zero never means something real", async function () {
      const compiled = enumsOf(definition(await astOf("contracts/interfaces/ITrialTypes.sol"), "ITrialTypes"));
      for (const [name, members] of Object.entries(compiled)) expect(members.None, name).to.equal(0);
    });
  });

  describe("flags (TrialFlags)", function () {
    it("mirrors the bits of Trial.flags and Participation.flags, and no other", async function () {
      const c = await constantsOf("contracts/libraries/TrialFlags.sol", "TrialFlags");
      const expected: Record<string, bigint> = {};
      for (const [n, v] of Object.entries(TrialFlag)) expected[constantName("TRIAL_", n)] = BigInt(v);
      for (const [n, v] of Object.entries(ParticipationFlag)) expected[constantName("P_", n)] = BigInt(v);
      expected.P_WITHDRAWN = BigInt(PARTICIPATION_WITHDRAWN);
      const compiled = Object.fromEntries(
        Object.entries(c).filter(([n]) => n.startsWith("TRIAL_") || n.startsWith("P_")),
      );
      expect(compiled).to.deep.equal(expected);
    });

    it("mirrors the record-category mask a consent may name", async function () {
      const c = await constantsOf("contracts/libraries/TrialFlags.sol", "TrialFlags");
      expect(c.ALL_CATEGORIES).to.equal(BigInt(ALL_TRIAL_CATEGORIES));
    });
  });

  describe("trialStates / trialStatesOf", function () {
    it("encodes a set of statuses as TrialsUnexpectedStatus names it (bit i = status i) and back", function () {
      const set = trialStates(TrialStatus.Approved, TrialStatus.Recruiting, TrialStatus.Closed);
      expect(set).to.equal("0x" + (0b11100).toString(16).padStart(64, "0"));
      expect(trialStatesOf(set)).to.deep.equal([TrialStatus.Approved, TrialStatus.Recruiting, TrialStatus.Closed]);
    });
  });

  describe("named flag helpers", function () {
    it("reads enrollment, withdrawal and the flag names of a Participation.flags value", function () {
      const word = participationFlags("Consented", "Enrolled", "NoFurtherCollection");
      expect(isEnrolled(word)).to.equal(true);
      expect(isWithdrawn(word)).to.equal(true);
      expect(withdrawalOf(word)).to.equal("no further collection");
      expect(withdrawalOf(word | participationFlags("WithdrawnData"))).to.equal("data");
      expect(withdrawalOf(participationFlags("Consented"))).to.equal("no");
      expect(isWithdrawn(participationFlags("Consented", "Attested"))).to.equal(false);
      expect(participationFlagNames(word)).to.deep.equal(["Consented", "Enrolled", "NoFurtherCollection"]);
      expect(hasTrialFlag(trialFlags("WitnessRequired"), "WitnessRequired")).to.equal(true);
      expect(hasTrialFlag(trialFlags("RefCommitted"), "OutcomeCommitted")).to.equal(false);
    });
  });
});
