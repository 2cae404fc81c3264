/**
 * The records workload of `npm run bench:load` (bench/load.ts): every signer is a PROVIDER; its
 * even-numbered transactions register a record pointer for a fresh patient, its odd-numbered ones
 * relay that patient's EIP-712 grant (signed before the clock starts) to the next signer's
 * provider. The model: each (signer, pair) gives one record, one grant, one consumed nonce, and
 * canAccess answers Granted; re-registering a record and replaying a grant are both refused, and so is
 * the patient's grant signature relayed as another account's act (the signer is in the typed struct).
 */
import { Wallet, id, type HDNodeWallet } from "ethers";
import { describeError, parseGLN, Role, withCheckDigit, MemberStatus } from "../../src";
import {
  AccessReason,
  Action,
  MAX_UINT40,
  Purpose,
  RecordCategory,
  categoryMask,
  purposeMask,
  recordIdOf,
  signGrant,
  type GrantTerms,
} from "../../src/records";
import { RecordAccess__factory, type RecordAccess } from "../../typechain-types";
import type { E2EContext } from "../../test/e2e/consortium";
import type { Workload } from "../load";

const TX_PER_SIGNER = Number(process.env.LOAD_TX_PER_SIGNER ?? 50);
const GAS_LIMIT = 300_000n;

/** The patient of pair `pair` of signer `k`: a fresh key, so its grant nonce is 0. */
function patientOf(k: number, pair: number): Wallet {
  return new Wallet(id(`carechain-load-records-patient-${k}-${pair}`));
}

/** A salted record id per (signer, pair). */
function recordIdFor(k: number, pair: number): string {
  return recordIdOf(id(`carechain-load-records-salt-${k}-${pair}`), `load-doc-${k}-${pair}`);
}

/** A GLN per signer for the provider membership (company prefix 437, not used elsewhere). */
function providerGLN(k: number): bigint {
  return parseGLN(withCheckDigit(String(437000000000 + k)));
}

export function recordsWorkload(): Workload {
  const iface = RecordAccess__factory.createInterface();
  let records: RecordAccess;
  let recordsAddress = "";
  let signerAddresses: string[] = [];
  let recordDate = 0n;
  let terms: GrantTerms;
  /** The patient's grant signature per "k/pair", made in prepare. */
  const signatures = new Map<string, string>();
  const pairs = Math.ceil(TX_PER_SIGNER / 2);
  const grants = Math.floor(TX_PER_SIGNER / 2);
  const granteeOf = (k: number) => signerAddresses[(k + 1) % signerAddresses.length];

  return {
    name: "records register+grant",
    async prepare(ctx: E2EContext, signers: HDNodeWallet[]) {
      const address = ctx.deployment.addresses.records;
      if (address === undefined) throw new Error("the deployment has no records contract");
      records = RecordAccess__factory.connect(address, ctx.provider);
      recordsAddress = address;
      signerAddresses = signers.map((s) => s.address);
      // Every signer an active PROVIDER (admitted here unless another workload admitted it already).
      const registrar = ctx.registry.connect(ctx.actors.registrar);
      for (const [k, s] of signers.entries()) {
        if ((await ctx.registry.memberOf(s.address)).status === BigInt(MemberStatus.None)) {
          await (await registrar.admitMember(s.address, providerGLN(k), id(`load-provider-${k}`))).wait();
        }
        if (!(await ctx.registry.hasRole(Role.PROVIDER, s.address))) {
          await (await registrar.grantRole(Role.PROVIDER, s.address)).wait();
        }
      }
      const now = BigInt((await ctx.provider.getBlock("latest"))!.timestamp);
      recordDate = now - 3600n;
      terms = {
        categories: categoryMask(["Labs"]),
        actions: Action.Read,
        purposes: purposeMask(["Treatment"]),
        validFrom: now,
        validUntil: now + 30n * 86400n,
        dataFrom: 0n,
        dataUntil: MAX_UINT40,
      };
      const domain = { chainId: ctx.chainId, verifyingContract: address };
      for (let k = 0; k < signers.length; k++) {
        for (let pair = 0; pair < grants; pair++) {
          const patient = patientOf(k, pair);
          const message = {
            patient: patient.address,
            signer: patient.address,
            grantee: granteeOf(k),
            ...terms,
            nonce: 0n,
            deadline: MAX_UINT40,
          };
          signatures.set(`${k}/${pair}`, await signGrant(patient, domain, message));
        }
      }
    },
    build(k: number, i: number) {
      const pair = Math.floor(i / 2);
      const patient = patientOf(k, pair).address;
      if (i % 2 === 0) {
        return {
          to: recordsAddress,
          data: iface.encodeFunctionData("registerRecord", [
            patient,
            recordIdFor(k, pair),
            RecordCategory.Labs,
            id(`load-envelope-${k}-${pair}`),
            recordDate,
          ]),
          gasLimit: GAS_LIMIT,
        };
      }
      return {
        to: recordsAddress,
        data: iface.encodeFunctionData("grantBySig", [
          patient,
          patient,
          granteeOf(k),
          terms,
          MAX_UINT40,
          signatures.get(`${k}/${pair}`)!,
        ]),
        gasLimit: GAS_LIMIT,
      };
    },
    async verify(ctx: E2EContext, signers: HDNodeWallet[]) {
      const problems: string[] = [];
      // Duplicates: each signer re-registers its first record and replays its first grant; both refused.
      let rejected = 0;
      await Promise.all(
        signers.map(async (signer, k) => {
          const patient = patientOf(k, 0).address;
          const asSigner = records.connect(signer);
          try {
            await asSigner.registerRecord.staticCall(
              patient,
              recordIdFor(k, 0),
              RecordCategory.Labs,
              id("again"),
              recordDate,
            );
          } catch (error) {
            if (describeError(error, [iface]) === `RecordAccessRecordExists(${patient}, ${recordIdFor(k, 0)})`)
              rejected++;
          }
          if (grants === 0) return void rejected++;
          try {
            await asSigner.grantBySig.staticCall(
              patient,
              patient,
              granteeOf(k),
              terms,
              MAX_UINT40,
              signatures.get(`${k}/0`)!,
            );
          } catch (error) {
            if (describeError(error, [iface]) === `SignatureInvalid(${patient})`) rejected++;
          }
          // The same signature relayed as the grantee's own act for the patient: refused.
          const other = granteeOf(k);
          try {
            await asSigner.grantBySig.staticCall(
              other,
              patient,
              granteeOf(k),
              terms,
              MAX_UINT40,
              signatures.get(`${k}/0`)!,
            );
          } catch (error) {
            if (describeError(error, [iface]) === `SignatureInvalid(${other})`) rejected++;
          }
        }),
      );
      const expected = (grants === 0 ? 2 : 3) * signers.length;
      if (rejected !== expected) problems.push(`duplicates and re-attributions rejected ${rejected}/${expected}`);

      // The model: per signer, `pairs` records and `grants` grants, each exactly once.
      const patients = new Map<string, { k: number; pair: number }>();
      for (let k = 0; k < signers.length; k++) {
        for (let pair = 0; pair < pairs; pair++) patients.set(patientOf(k, pair).address, { k, pair });
      }
      const [registered, granted] = await Promise.all([
        records.queryFilter(records.filters.RecordRegistered(), 0, "latest"),
        records.queryFilter(records.filters.AccessGranted(), 0, "latest"),
      ]);
      const ours = <T extends { args: { patient: string } }>(events: T[]) =>
        events.filter((e) => patients.has(e.args.patient));
      const registeredCount = new Map<string, number>();
      for (const e of ours(registered)) {
        const key = `${e.args.patient}/${e.args.recordId}`;
        registeredCount.set(key, (registeredCount.get(key) ?? 0) + 1);
      }
      const grantedCount = new Map<string, number>();
      for (const e of ours(granted)) {
        const key = `${e.args.patient}/${e.args.grantee}`;
        grantedCount.set(key, (grantedCount.get(key) ?? 0) + 1);
      }
      let lost = 0;
      let duplicated = 0;
      let wrongAccess = 0;
      for (let k = 0; k < signers.length; k++) {
        for (let pair = 0; pair < pairs; pair++) {
          const patient = patientOf(k, pair).address;
          const recordId = recordIdFor(k, pair);
          const seen = registeredCount.get(`${patient}/${recordId}`) ?? 0;
          const record = await records.recordOf(patient, recordId);
          if (seen === 0 || record.custodian !== signers[k].address) lost++;
          if (seen > 1) duplicated++;
          if (pair >= grants) continue;
          const grantSeen = grantedCount.get(`${patient}/${granteeOf(k)}`) ?? 0;
          if (grantSeen === 0 || (await records.nonces(patient)) !== 1n) lost++;
          if (grantSeen > 1) duplicated++;
          const [allowed, reason] = await records.canAccess(patient, granteeOf(k), recordId, Purpose.Treatment);
          if (!allowed || Number(reason) !== AccessReason.Granted) wrongAccess++;
        }
      }
      const expectedRecords = signers.length * pairs;
      const expectedGrants = signers.length * grants;
      if (ours(registered).length !== expectedRecords) {
        problems.push(`${ours(registered).length} RecordRegistered events for ${expectedRecords} records`);
      }
      if (ours(granted).length !== expectedGrants) {
        problems.push(`${ours(granted).length} AccessGranted events for ${expectedGrants} grants`);
      }
      if (lost > 0) problems.push(`${lost} record(s) or grant(s) lost`);
      if (duplicated > 0) problems.push(`${duplicated} record(s) or grant(s) duplicated`);
      if (wrongAccess > 0) problems.push(`${wrongAccess} grant(s) where canAccess does not answer Granted`);
      return problems;
    },
  };
}
