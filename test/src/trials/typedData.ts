import { expect } from "chai";
import { TypedDataEncoder, Wallet, verifyTypedData } from "ethers";
import {
  NO_WITNESS,
  SignatureMeaning,
  WithdrawalChoice,
  buildAttestation,
  buildConsent,
  buildRepresentativeAppointment,
  buildRepresentativeDetermination,
  buildRepresentativeRevocation,
  consentHash,
  buildWithdrawal,
  consentPackageFromJson,
  consentPackageToJson,
  consentTerms,
  signAttestation,
  signConsent,
  signRepresentativeAppointment,
  signRepresentativeDetermination,
  signRepresentativeRevocation,
  signWithdrawal,
  trialIdOf,
  trialsDomain,
} from "../../../src/trials";
import { toEthersTypedData } from "../../../src/signatures";

const domain = trialsDomain(31337n, "0x" + "ab".repeat(20));
const participant = new Wallet("0x" + "01".repeat(32));
const representative = new Wallet("0x" + "02".repeat(32));
const investigator = new Wallet("0x" + "03".repeat(32));
const input = {
  trialId: trialIdOf(participant.address, "0x" + "00".repeat(32)),
  participant: participant.address,
  protocolVersion: 2,
  consentFormHash: "0x" + "cd".repeat(32),
  scope: 0b1010,
  categories: 7,
  futureContact: true,
  deadline: 1_900_000_000n,
};

describe("SDK trials: EIP-712 typed data", function () {
  it("derives the meaning from who signs", function () {
    expect(consentTerms(input).meaning).to.equal(SignatureMeaning.ParticipantConsent);
    const rep = consentTerms({ ...input, signer: representative.address });
    expect(rep.meaning).to.equal(SignatureMeaning.RepresentativeConsent);
    expect(rep.diseaseCodeHash).to.equal("0x" + "00".repeat(32));
    expect(rep.useUntil).to.equal(0n);
  });

  it("builds consent, attestation and withdrawal payloads whose signatures recover to the signer", async function () {
    const terms = consentTerms(input);
    const consent = buildConsent(domain, terms, 5n);
    expect(consent.primaryType).to.equal("Consent");
    expect(TypedDataEncoder.from(toEthersTypedData(consent).types).primaryType).to.equal("Consent");
    const sig = await signConsent(participant, domain, terms, 5n);
    expect(verifyTypedData(domain, toEthersTypedData(consent).types, consent.message, sig)).to.equal(
      participant.address,
    );

    const attested = { ...terms, consentHash: consentHash(terms, 5n) };
    const co = await signAttestation(investigator, domain, attested, SignatureMeaning.InvestigatorAttestation, 9n, 1n);
    const att = buildAttestation(
      domain,
      attested,
      SignatureMeaning.InvestigatorAttestation,
      investigator.address,
      9n,
      1n,
    );
    expect(att.message.consentHash).to.equal(
      TypedDataEncoder.hashStruct("Consent", toEthersTypedData(consent).types, consent.message),
    );
    expect(co.signer).to.equal(investigator.address);
    expect(verifyTypedData(domain, toEthersTypedData(att).types, att.message, co.signature)).to.equal(
      investigator.address,
    );

    const w = await signWithdrawal(
      participant,
      domain,
      terms.trialId,
      participant.address,
      WithdrawalChoice.WithdrawData,
      9n,
      6n,
    );
    const wd = buildWithdrawal(
      domain,
      terms.trialId,
      participant.address,
      WithdrawalChoice.WithdrawData,
      participant.address,
      9n,
      6n,
    );
    expect(wd.message.meaning).to.equal(SignatureMeaning.Withdrawal);
    expect(verifyTypedData(domain, toEthersTypedData(wd).types, wd.message, w)).to.equal(participant.address);
  });

  it("builds representative appointment, revocation and determination payloads that recover to their signers", async function () {
    const trialId = consentTerms(input).trialId;
    const a = {
      trialId,
      participant: participant.address,
      representative: representative.address,
      endsAt: 0n,
      deadline: 9n,
    };
    const appointment = buildRepresentativeAppointment(domain, a, 3n);
    expect(appointment.primaryType).to.equal("RepresentativeAppointment");
    expect(appointment.message.nonce).to.equal("3");
    const aSig = await signRepresentativeAppointment(participant, domain, a, 3n);
    expect(verifyTypedData(domain, toEthersTypedData(appointment).types, appointment.message, aSig)).to.equal(
      participant.address,
    );

    const revocation = buildRepresentativeRevocation(domain, trialId, participant.address, 9n, 4n);
    const rSig = await signRepresentativeRevocation(participant, domain, trialId, participant.address, 9n, 4n);
    expect(verifyTypedData(domain, toEthersTypedData(revocation).types, revocation.message, rSig)).to.equal(
      participant.address,
    );

    const d = { ...a, basisHash: "0x" + "ee".repeat(32), investigator: investigator.address };
    const determination = buildRepresentativeDetermination(domain, d, 1n);
    expect(TypedDataEncoder.from(toEthersTypedData(determination).types).primaryType).to.equal(
      "RepresentativeDetermination",
    );
    const dSig = await signRepresentativeDetermination(investigator, domain, d, 1n);
    expect(verifyTypedData(domain, toEthersTypedData(determination).types, determination.message, dSig)).to.equal(
      investigator.address,
    );
  });

  it("round-trips a consent package through JSON", async function () {
    const terms = consentTerms({ ...input, useUntil: 2_000_000_000n });
    const pkg = {
      terms,
      signature: await signConsent(participant, domain, terms, 0n),
      investigator: await signAttestation(
        investigator,
        domain,
        { ...terms, consentHash: consentHash(terms, 0n) },
        SignatureMeaning.InvestigatorAttestation,
        9n,
        0n,
      ),
      witness: NO_WITNESS,
    };
    expect(consentPackageFromJson(consentPackageToJson(pkg))).to.deep.equal(pkg);
  });

  it("reads a package without a witness as having none", function () {
    const terms = consentTerms(input);
    const json = JSON.parse(
      consentPackageToJson({
        terms,
        signature: "0x12",
        investigator: { signer: investigator.address, deadline: 1n, signature: "0x34" },
        witness: NO_WITNESS,
      }),
    );
    delete json.witness;
    expect(consentPackageFromJson(JSON.stringify(json)).witness).to.deep.equal(NO_WITNESS);
  });

  it("throws one line naming what a package file lacks", function () {
    expect(() => consentPackageFromJson("{}")).to.throw('consent file has no "terms" object');
    const terms: Record<string, unknown> = { ...consentTerms(input), useUntil: "0", deadline: "1" };
    const noScope = { ...terms };
    delete noScope.scope;
    expect(() => consentPackageFromJson(JSON.stringify({ terms: noScope }))).to.throw(
      "consent file: missing terms.scope",
    );
    expect(() => consentPackageFromJson(JSON.stringify({ terms: terms }))).to.throw(
      'consent file: missing "signature"',
    );
    expect(() => consentPackageFromJson(JSON.stringify({ terms: terms, signature: "0x" }))).to.throw(
      'consent file: missing "investigator"',
    );
    expect(() =>
      consentPackageFromJson(
        JSON.stringify({
          terms: terms,
          signature: "0x",
          investigator: { signer: "0x" },
        }),
      ),
    ).to.throw("consent file: missing investigator.deadline");
  });
});
