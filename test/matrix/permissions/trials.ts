/** Permissions of the trials contract: see test/matrix/permissions.ts. */
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ClinicalTrials } from "../../../typechain-types";
import { Role } from "../../../src/roles";
import { ReconsentPolicy, SignatureMeaning, WithdrawalChoice, trialIdOf, trialsDomain } from "../../../src/trials";
import type { ConsentPackage, CoSignature } from "../../../src/trials";
import { admit } from "../../helpers/fixtures";
import {
  OUTCOME_V0,
  REGISTRY_REF,
  SALT,
  TrialsContext,
  consent,
  consentPackage,
  prepareTrial,
  registration,
  relaySignature,
} from "../../trials/fixture";
import { attestation, signedWithdrawal } from "../../trials/signedCases";
import type { FunctionPermission, MatrixEnv, RefusalCase } from "../types";

/** The trials domain's view of the matrix environment: the same names as test/trials/fixture.ts. */
async function ctxOf(env: MatrixEnv): Promise<TrialsContext> {
  const trials = env.contracts.trials as unknown as ClinicalTrials;
  const [investigator, witness, representative, stranger, ...participants] = env.others;
  const domain = trialsDomain((await ethers.provider.getNetwork()).chainId, await trials.getAddress());
  return {
    ...env,
    trials,
    domain,
    trialId: trialIdOf(env.sponsor.address, SALT),
    investigator,
    witness,
    representative,
    stranger,
    participants,
  };
}

const TRIAL_ID = (e: MatrixEnv) => trialIdOf(e.sponsor.address, SALT);
/** A second member holding the sponsor, IRB and trial-site roles, but none of them for this trial. */
const OTHER = (e: MatrixEnv): HardhatEthersSigner => e.others[10];
const P0 = (e: MatrixEnv): HardhatEthersSigner => e.others[4];

async function admitOther(e: MatrixEnv): Promise<void> {
  await admit(e.registry, e.registrar, OTHER(e), 777, ["SPONSOR", "IRB", "TRIAL_SITE"]);
}

type Stage = "registered" | "approved" | "closed" | "proposed" | "sited" | "recruiting" | "signed" | "consented";

/** Brings the trial to `stage` (and admits the second member). */
async function reach(
  e: MatrixEnv,
  stage: Stage,
  overrides: Parameters<typeof registration>[1] = {},
): Promise<TrialsContext> {
  await admitOther(e);
  const ctx = await ctxOf(e);
  const { trials, trialId, sponsor, irb, site } = ctx;
  await trials.connect(sponsor).registerTrial(registration(ctx, overrides));
  if (stage === "registered") return ctx;
  if (stage === "sited") {
    await trials.connect(sponsor).setSite(trialId, site.address, true);
    return ctx;
  }
  if (stage === "recruiting" || stage === "signed" || stage === "consented") {
    await prepareTrial(ctx, true);
    if (stage === "signed") await relaySignature(ctx, await consentPackage(ctx, P0(e)));
    if (stage === "consented") await consent(ctx, P0(e));
    return ctx;
  }
  await trials.connect(irb).approveTrial(trialId);
  if (stage === "closed") await trials.connect(sponsor).closeTrial(trialId);
  if (stage === "proposed") {
    await trials
      .connect(sponsor)
      .proposeAmendment(trialId, ethers.id("p1"), ethers.id("f1"), ReconsentPolicy.AllParticipants, ethers.ZeroHash);
  }
  return ctx;
}

/** A function of the trial's sponsor: refused to a non-sponsor member and to another trial's sponsor. */
function sponsorOnly(
  name: string,
  stage: Stage,
  args: (e: MatrixEnv) => unknown[],
  overrides = {},
): FunctionPermission {
  const setup = async (e: MatrixEnv) => void (await reach(e, stage, overrides));
  return {
    permitted: "the trial's sponsor (an active SPONSOR member)",
    refusals: [
      {
        name: `a member without the SPONSOR role calls ${name}`,
        caller: (e) => e.irb,
        permitted: (e) => e.sponsor,
        args,
        error: (e) => ["MemberGatedUnauthorized", e.irb.address, Role.SPONSOR],
        setup,
      },
      {
        name: `another trial's sponsor calls ${name}`,
        caller: OTHER,
        permitted: (e) => e.sponsor,
        args,
        error: (e) => ["TrialsNotSponsor", TRIAL_ID(e), OTHER(e).address],
        setup,
      },
    ],
  };
}

/** A function of the trial's IRB: refused to a non-IRB member and to an IRB not named by the trial. */
function irbOnly(name: string, stage: Stage, args: (e: MatrixEnv) => unknown[]): FunctionPermission {
  const setup = async (e: MatrixEnv) => void (await reach(e, stage));
  return {
    permitted: "the IRB the sponsor named at registration (an active IRB member, never the sponsor)",
    refusals: [
      {
        name: `a member without the IRB role calls ${name}`,
        caller: (e) => e.sponsor,
        permitted: (e) => e.irb,
        args,
        error: (e) => ["MemberGatedUnauthorized", e.sponsor.address, Role.IRB],
        setup,
      },
      {
        name: `an IRB not named by the trial calls ${name}`,
        caller: OTHER,
        permitted: (e) => e.irb,
        args,
        error: (e) => ["TrialsNotIRB", TRIAL_ID(e), OTHER(e).address],
        setup,
      },
    ],
  };
}

/** A function of the trial's sites: refused to a non-site member and to a site not set for the trial. */
function siteOnly(
  name: string,
  args: (e: MatrixEnv) => unknown[],
  setup: (e: MatrixEnv) => Promise<void>,
  outsider: (e: MatrixEnv) => HardhatEthersSigner = (e) => e.sponsor,
): FunctionPermission {
  const cases: RefusalCase[] = [
    {
      name: `a member without the TRIAL_SITE role calls ${name}`,
      caller: outsider,
      permitted: (e) => e.site,
      args,
      error: (e) => ["MemberGatedUnauthorized", outsider(e).address, Role.TRIAL_SITE],
      setup,
    },
    {
      name: `a TRIAL_SITE member that is not a site of the trial calls ${name}`,
      caller: OTHER,
      permitted: (e) => e.site,
      args,
      error: (e) => ["TrialsNotSite", TRIAL_ID(e), OTHER(e).address],
      setup,
    },
  ];
  return { permitted: "a site the sponsor set for the trial (an active TRIAL_SITE member)", refusals: cases };
}

// Signed material prepared in `setup` (async) for the synchronous `args` of the same test.
let pkg: ConsentPackage;
let coSignature: CoSignature;
let withdrawal: Awaited<ReturnType<typeof signedWithdrawal>>;

export const trialsPermissions: Record<string, FunctionPermission> = {
  "registerTrial((bytes32,bytes32,bytes32,bytes32,bytes32,address,uint32,bool))": {
    permitted: "any active SPONSOR member (the trial id is derived from the caller)",
    refusals: [
      {
        name: "a non-member registers a trial",
        caller: (e) => e.outsider,
        permitted: (e) => e.sponsor,
        args: (e) => [registration(e as unknown as TrialsContext)],
        error: (e) => ["MemberGatedUnauthorized", e.outsider.address, Role.SPONSOR],
      },
      {
        name: "an IRB member registers a trial",
        caller: (e) => e.irb,
        permitted: (e) => e.sponsor,
        args: (e) => [registration(e as unknown as TrialsContext)],
        error: (e) => ["MemberGatedUnauthorized", e.irb.address, Role.SPONSOR],
      },
    ],
  },
  "commitRegistration(bytes32,bytes32,bytes32)": sponsorOnly(
    "commitRegistration",
    "registered",
    (e) => [TRIAL_ID(e), REGISTRY_REF, ethers.ZeroHash],
    { registryRefHash: ethers.ZeroHash },
  ),
  "setSite(bytes32,address,bool)": sponsorOnly("setSite", "registered", (e) => [TRIAL_ID(e), e.site.address, true]),
  "setResearcher(bytes32,address,bool)": sponsorOnly("setResearcher", "registered", (e) => [
    TRIAL_ID(e),
    e.researcher.address,
    true,
  ]),
  "openRecruitment(bytes32)": sponsorOnly("openRecruitment", "approved", (e) => [TRIAL_ID(e)]),
  "closeTrial(bytes32)": sponsorOnly("closeTrial", "approved", (e) => [TRIAL_ID(e)]),
  "proposeAmendment(bytes32,bytes32,bytes32,uint8,bytes32)": sponsorOnly("proposeAmendment", "approved", (e) => [
    TRIAL_ID(e),
    ethers.id("protocol v1"),
    ethers.id("form v1"),
    ReconsentPolicy.AllParticipants,
    ethers.ZeroHash,
  ]),
  "postResults(bytes32,bytes32,bytes32)": sponsorOnly("postResults", "closed", (e) => [
    TRIAL_ID(e),
    ethers.id("results"),
    OUTCOME_V0,
  ]),
  "approveTrial(bytes32)": irbOnly("approveTrial", "registered", (e) => [TRIAL_ID(e)]),
  "approveAmendment(bytes32,uint16)": irbOnly("approveAmendment", "proposed", (e) => [TRIAL_ID(e), 1]),
  "rejectAmendment(bytes32,uint16,bytes32)": irbOnly("rejectAmendment", "proposed", (e) => [
    TRIAL_ID(e),
    1,
    ethers.id("reason"),
  ]),
  "setInvestigator(bytes32,address,bool)": siteOnly(
    "setInvestigator",
    (e) => [TRIAL_ID(e), e.others[0].address, true],
    async (e) => void (await reach(e, "sited")),
  ),
  "consentBySig((bytes32,address,address,uint8,uint16,bytes32,uint16,bytes32,uint40,uint16,bool,uint256),bytes)":
    siteOnly(
      "consentBySig (relaying a participant's valid signature)",
      () => [pkg.terms, pkg.signature],
      async (e) => {
        const ctx = await reach(e, "recruiting");
        pkg = await consentPackage(ctx, P0(e));
      },
      (e) => e.outsider,
    ),
  "attestBySig(bytes32,address,uint8,(address,uint256,bytes))": siteOnly(
    "attestBySig (relaying an investigator's valid attestation)",
    (e) => [TRIAL_ID(e), P0(e).address, SignatureMeaning.InvestigatorAttestation, coSignature],
    async (e) => {
      const ctx = await reach(e, "signed");
      coSignature = await attestation(ctx, P0(e).address, SignatureMeaning.InvestigatorAttestation, ctx.investigator);
    },
    (e) => e.outsider,
  ),
  "enroll(bytes32,address)": siteOnly(
    "enroll",
    (e) => [TRIAL_ID(e), P0(e).address],
    async (e) => void (await reach(e, "consented")),
  ),
  "withdraw(bytes32,address,uint8)": {
    permitted: "the participant, or the legally authorised representative who signed its consent",
    refusals: [
      {
        name: "the trial's site withdraws a participant",
        caller: (e) => e.site,
        permitted: P0,
        args: (e) => [TRIAL_ID(e), P0(e).address, WithdrawalChoice.WithdrawData],
        error: (e) => ["TrialsNotParticipantOrRepresentative", TRIAL_ID(e), P0(e).address, e.site.address],
        setup: async (e) => void (await reach(e, "consented")),
      },
      {
        name: "the trial's sponsor withdraws a participant",
        caller: (e) => e.sponsor,
        permitted: P0,
        args: (e) => [TRIAL_ID(e), P0(e).address, WithdrawalChoice.NoFurtherCollection],
        error: (e) => ["TrialsNotParticipantOrRepresentative", TRIAL_ID(e), P0(e).address, e.sponsor.address],
        setup: async (e) => void (await reach(e, "consented")),
      },
    ],
  },
  "withdrawBySig(bytes32,address,uint8,address,uint256,bytes)": {
    permitted: "anyone, relaying a withdrawal signed by the participant or its representative",
    open: "the authority is the EIP-712 signature (nonce, deadline, domain) of the participant or its representative; the relayer only pays gas, and withdrawal must never depend on a member being active",
    refusals: [
      {
        name: "a relayer submits a withdrawal validly signed by someone who is neither participant nor representative",
        caller: (e) => e.outsider,
        nobody: "only the participant's or the representative's signature can withdraw a consent, whoever relays it",
        args: (e) => [
          TRIAL_ID(e),
          withdrawal.p,
          WithdrawalChoice.WithdrawData,
          withdrawal.signer,
          withdrawal.deadline,
          withdrawal.signature,
        ],
        error: (e) => ["TrialsNotParticipantOrRepresentative", TRIAL_ID(e), P0(e).address, e.others[3].address],
        setup: async (e) => {
          const ctx = await reach(e, "consented");
          withdrawal = await signedWithdrawal(ctx, ctx.stranger, ctx.stranger.address);
        },
      },
      {
        name: "a relayer submits a withdrawal in the participant's name signed by another key",
        caller: (e) => e.site,
        nobody: "a signature that is not the named signer's is refused whoever relays it",
        args: (e) => [
          TRIAL_ID(e),
          withdrawal.p,
          WithdrawalChoice.WithdrawData,
          withdrawal.signer,
          withdrawal.deadline,
          withdrawal.signature,
        ],
        error: (e) => ["SignatureInvalid", P0(e).address],
        setup: async (e) => {
          const ctx = await reach(e, "consented");
          withdrawal = await signedWithdrawal(ctx, ctx.stranger, P0(e).address);
        },
      },
    ],
  },
};
