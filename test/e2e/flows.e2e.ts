/**
 * End-to-end over JSON-RPC (part of `npm test`): a real `hardhat node` on a free loopback port
 * (E2E_NODE=anvil: anvil), Carechain deployed with the Ignition CLI, and the partners' flows through
 * the SDK and ethers.
 *
 * The flows run in order against one deployment. Each domain adds its step to STEPS, after the
 * registry (which admits the members the domains need):
 *   supply  — a manufacturer commissions and ships a lot, a pharmacy verifies and dispenses a pack;
 *   records — a patient signs a grant that a relayer submits;
 *   trials  — a site relays a participant's consent.
 */
import hre from "hardhat";
import { underCoverage } from "../helpers/node";
import { startConsortium, type E2EContext, type E2EStep } from "./consortium";
import { registryStep } from "./steps/registry";
import { supplyStep } from "./steps/supply";
import { recordsStep } from "./steps/records";
import { trialsStep } from "./steps/trials";

const STEPS: readonly E2EStep[] = [registryStep, supplyStep, recordsStep, trialsStep];

describe("e2e: Carechain on a hardhat node over JSON-RPC", function () {
  let context: E2EContext | undefined;
  const ctx = (): E2EContext => {
    if (!context) throw new Error("the consortium did not start");
    return context;
  };

  before(async function () {
    if (underCoverage(hre)) this.skip();
    // E2E_NODE=anvil: the same flows on anvil (Foundry's node, chain id 31337; CI's rehearsal step).
    context = await startConsortium(process.env.E2E_NODE === "anvil" ? { node: { kind: "anvil" } } : {});
  });

  after(async function () {
    await context?.close();
  });

  for (const step of STEPS) {
    describe(step.name, function () {
      step.define(ctx);
    });
  }
});
