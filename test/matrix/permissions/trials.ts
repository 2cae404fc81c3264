/** Permissions of the trials contract: see test/matrix/permissions.ts. */
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ClinicalTrials } from "../../../typechain-types";
import { Role } from "../../../src/roles";
import {
  ReconsentPolicy,
  SignatureMeaning,
  WithdrawalChoice,
  signRepresentativeAppointment,
  signRepresentativeDetermination,
  signRepresentativeRevocation,
  trialIdOf,
  trialsDomain,
} from "../../../src/trials";
import type { RepresentativeAppointment, RepresentativeDetermination } from "../../../src/trials";
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
import { upgradePermissions } from "./upgrades";

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

/** {irbOnly} with its own setup. */
function irbOnlyWith(
  name: string,
  setup: (e: MatrixEnv) => Promise<void>,
  args: (e: MatrixEnv) => unknown[],
): FunctionPermission {
  const entry = irbOnly(name, "registered", args);
  return { ...entry, refusals: entry.refusals.map((r) => ({ ...r, setup })) };
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
let appointment: RepresentativeAppointment;
let determination: RepresentativeDetermination;
let signed: string;
const BASIS = ethers.id("capacity assessment, kept at the site");

/** The investigator's determination for P0 naming the representative, signed, for the site to relay. */
async function determined(e: MatrixEnv): Promise<TrialsContext> {
  const ctx = await reach(e, "recruiting");
  determination = {
    trialId: ctx.trialId,
    participant: P0(e).address,
    representative: ctx.representative.address,
    endsAt: 0n,
    basisHash: BASIS,
    investigator: ctx.investigator.address,
    deadline: BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n,
  };
  signed = await signRepresentativeDetermination(
    ctx.investigator,
    ctx.domain,
    determination,
    await ctx.trials.nonces(ctx.investigator.address),
  );
  return ctx;
}

/** A pending determination for P0, relayed by the site (awaiting the IRB). */
async function pending(e: MatrixEnv): Promise<void> {
  const ctx = await determined(e);
  await ctx.trials.connect(ctx.site).determineRepresentativeBySig(determination, signed);
}

/** An IRB-confirmed representative authority over P0. */
async function confirmed(e: MatrixEnv): Promise<void> {
  await pending(e);
  const ctx = await ctxOf(e);
  await ctx.trials
    .connect(ctx.irb)
    .confirmRepresentative(ctx.trialId, P0(e).address, ctx.representative.address, 0, BASIS);
}

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
  "consentAndAttestBySig((bytes32,address,address,uint8,uint16,bytes32,uint16,bytes32,uint40,uint16,bool,uint256),bytes,(address,uint256,bytes))":
    siteOnly(
      "consentAndAttestBySig (relaying a participant's signature and the investigator's attestation, both valid)",
      () => [pkg.terms, pkg.signature, pkg.investigator],
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
  "appointRepresentative(bytes32,address,uint40)": {
    permitted: "anyone, as participant: the caller appoints a representative for itself only",
    open: "the caller is the participant whose representative it names (msg.sender); nobody can appoint for another account",
    refusals: [
      {
        name: "a participant names itself as its own representative",
        caller: P0,
        nobody: "a representative is another person than the participant",
        args: (e) => [TRIAL_ID(e), P0(e).address, 0],
        error: (e) => ["TrialsInvalidRepresentative", P0(e).address, P0(e).address],
        setup: async (e) => void (await reach(e, "recruiting")),
      },
    ],
  },
  "appointRepresentativeBySig((bytes32,address,address,uint40,uint256),bytes)": {
    permitted: "anyone, relaying the participant's signed appointment",
    open: "the authority is the participant's EIP-712 signature (nonce, deadline, domain); the relayer only pays gas",
    refusals: [
      {
        name: "a relayer submits an appointment in the participant's name signed by the would-be representative",
        caller: (e) => e.site,
        nobody: "only the participant's own signature appoints its representative, whoever relays it",
        args: () => [appointment, signed],
        error: (e) => ["SignatureInvalid", P0(e).address],
        setup: async (e) => {
          const ctx = await reach(e, "recruiting");
          appointment = {
            trialId: ctx.trialId,
            participant: P0(e).address,
            representative: ctx.representative.address,
            endsAt: 0n,
            deadline: BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n,
          };
          signed = await signRepresentativeAppointment(
            ctx.representative,
            ctx.domain,
            appointment,
            await ctx.trials.nonces(P0(e).address),
          );
        },
      },
    ],
  },
  "revokeRepresentative(bytes32)": {
    permitted: "anyone, as participant: the caller ends the representatives over itself only",
    open: "the caller is the participant (msg.sender) and only its own representatives end; revocation must never depend on membership",
    refusals: [
      {
        name: "the representative tries to end the authority by revoking (it has no representative itself)",
        caller: (e) => e.others[2],
        nobody:
          "revocation ends the caller's own representatives; a representative cannot revoke what the participant gave",
        args: (e) => [TRIAL_ID(e)],
        error: (e) => ["TrialsNothingToEnd", TRIAL_ID(e), e.others[2].address],
        setup: async (e) => {
          const ctx = await reach(e, "recruiting");
          await ctx.trials.connect(P0(e)).appointRepresentative(ctx.trialId, ctx.representative.address, 0);
        },
      },
    ],
  },
  "revokeRepresentativeBySig(bytes32,address,uint256,bytes)": {
    permitted: "anyone, relaying the participant's signed revocation",
    open: "the authority is the participant's EIP-712 signature; the relayer only pays gas, and revocation must never depend on a member being active",
    refusals: [
      {
        name: "a relayer submits a revocation in the participant's name signed by another key",
        caller: (e) => e.site,
        nobody: "only the participant's own signature revokes, whoever relays it",
        args: (e) => [TRIAL_ID(e), P0(e).address, appointment.deadline, signed],
        error: (e) => ["SignatureInvalid", P0(e).address],
        setup: async (e) => {
          const ctx = await reach(e, "recruiting");
          await ctx.trials.connect(P0(e)).appointRepresentative(ctx.trialId, ctx.representative.address, 0);
          const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n;
          appointment = { ...appointment, deadline };
          signed = await signRepresentativeRevocation(
            ctx.stranger,
            ctx.domain,
            ctx.trialId,
            P0(e).address,
            deadline,
            await ctx.trials.nonces(P0(e).address),
          );
        },
      },
    ],
  },
  "determineRepresentativeBySig((bytes32,address,address,uint40,bytes32,address,uint256),bytes)": siteOnly(
    "determineRepresentativeBySig (relaying an investigator's valid determination)",
    () => [determination, signed],
    async (e) => void (await determined(e)),
    (e) => e.outsider,
  ),
  "confirmRepresentative(bytes32,address,address,uint40,bytes32)": irbOnlyWith(
    "confirmRepresentative",
    pending,
    (e) => [TRIAL_ID(e), P0(e).address, e.others[2].address, 0, BASIS],
  ),
  "endRepresentative(bytes32,address)": irbOnlyWith("endRepresentative", confirmed, (e) => [
    TRIAL_ID(e),
    P0(e).address,
  ]),
  "withdraw(bytes32,address,uint8)": {
    permitted: "the participant, or a legally authorised representative whose authority over it is in force",
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
      {
        name: "a representative whose authority the participant revoked withdraws the participant",
        caller: (e) => e.others[2],
        permitted: P0,
        args: (e) => [TRIAL_ID(e), P0(e).address, WithdrawalChoice.WithdrawData],
        error: (e) => ["TrialsNotParticipantOrRepresentative", TRIAL_ID(e), P0(e).address, e.others[2].address],
        setup: async (e) => {
          const ctx = await reach(e, "consented");
          await ctx.trials.connect(P0(e)).appointRepresentative(ctx.trialId, ctx.representative.address, 0);
          await ctx.trials.connect(P0(e)).revokeRepresentative(ctx.trialId);
        },
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
  ...upgradePermissions(
    "trials",
    "initialize()",
    async (e) => [await e.registry.getAddress()],
    () => [],
  ),
};
