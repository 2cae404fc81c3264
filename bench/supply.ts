import { id } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { GasRow } from "./rows";
import { gasOf } from "./rows";
import { deployConsortiumFixture } from "../test/helpers/fixtures";
import type { SupplyChain } from "../typechain-types";
import { RecallClass, SerialTree, lotIdOf, sequentialSerials } from "../src/supply";
import { withCheckDigit } from "../src/gs1/checkDigit";
import { expiryTimestamp } from "../src/gs1/elementString";

/**
 * Supply gas budgets (issue 3), each measured on a fresh consortium deployed through Ignition.
 * commissionLot at 1 and 10,000 units uses the real serial trees; at 1,000,000 units it commits a
 * stand-in root (the contract stores the root and never reads per-unit data, so gas does not depend
 * on which 32 bytes it is; building the real 1M tree takes minutes and is the supply:commission task's job).
 */
export async function supplyGasRows(hre: HardhatRuntimeEnvironment): Promise<GasRow[]> {
  const { ethers } = hre;
  const f = await deployConsortiumFixture();
  const supply = f.deployed.supply as unknown as SupplyChain;
  const gtin = BigInt(withCheckDigit("0950600013435"));
  await (await supply.connect(f.manufacturer).registerProduct(gtin, ethers.id("product master data"))).wait();
  // A fixed printed expiry (AI 17 "301231") so that the trees, proofs and hence calldata are the same every run.
  const expiry = expiryTimestamp("301231", new Date("2026-01-01T00:00:00Z"));
  const rows: GasRow[] = [];
  const m = supply.connect(f.manufacturer);

  const commission = async (lotNumber: string, units: number, root: string) =>
    gasOf(m.commissionLot(gtin, lotNumber, expiry, units, root, id(`commission ${lotNumber}`)));

  const small = SerialTree.build({ gtin, lotNumber: "B1", expiry }, sequentialSerials(1));
  rows.push({
    domain: "supply",
    operation: "commissionLot",
    scale: 1,
    gasUsed: await commission("B1", 1, small.root),
    budget: 120_000,
  });
  const lotNumber = "B10K";
  const tree = SerialTree.build({ gtin, lotNumber, expiry }, sequentialSerials(10_000));
  rows.push({
    domain: "supply",
    operation: "commissionLot",
    scale: 10_000,
    gasUsed: await commission(lotNumber, 10_000, tree.root),
    budget: 120_000,
  });
  rows.push({
    domain: "supply",
    operation: "commissionLot",
    scale: 1_000_000,
    gasUsed: await commission("B1M", 1_000_000, ethers.id("stand-in root of 1,000,000 serials")),
    budget: 120_000,
  });

  const lotId = lotIdOf(gtin, lotNumber);
  const shipHash = id("ship to wholesaler");
  const ship = await gasOf(m.ship(lotId, f.wholesaler.address, 5_000, shipHash));
  rows.push({ domain: "supply", operation: "ship", scale: null, gasUsed: ship, budget: 75_000 });
  const receive = await gasOf(
    supply
      .connect(f.wholesaler)
      .receiveShipment(lotId, f.manufacturer.address, 5_000, shipHash, id("received by wholesaler")),
  );
  rows.push({ domain: "supply", operation: "receive", scale: null, gasUsed: receive, budget: 65_000 });

  const toPharmacy = id("ship to pharmacy");
  await (await supply.connect(f.wholesaler).ship(lotId, f.pharmacy.address, 1_000, toPharmacy)).wait();
  await (
    await supply
      .connect(f.pharmacy)
      .receiveShipment(lotId, f.wholesaler.address, 1_000, toPharmacy, id("received by pharmacy"))
  ).wait();
  const p = supply.connect(f.pharmacy);
  // The worst case of a 10,000-unit tree: the first bitmap word from word 2 on whose first two units
  // both have depth-14 proofs; `first` opens the word, `later` is a later unit of the same word.
  let first = 512;
  while (tree.proof(first).length < 14 || tree.proof(first + 1).length < 14) first += 256;
  const later = first + 1;
  const dispenseFirst = await gasOf(p.dispense(tree.unit(first), tree.proof(first)));
  const dispenseLater = await gasOf(p.dispense(tree.unit(later), tree.proof(later)));
  rows.push({ domain: "supply", operation: "dispense", scale: 0, gasUsed: dispenseFirst, budget: 80_000 });
  // 62,000 until the registry gained the endpoint directory (issue 15): its dispatcher has more
  // functions, and the one hasActiveRole call per dispense costs ~36 gas more. Raised, not worked
  // around: the directory is where pharmacies find the responder.
  rows.push({ domain: "supply", operation: "dispense", scale: 1, gasUsed: dispenseLater, budget: 62_100 });

  const quarantine = await gasOf(m.quarantineLot(lotIdOf(gtin, "B1"), ethers.id("suspect report")));
  rows.push({ domain: "supply", operation: "quarantine", scale: null, gasUsed: quarantine, budget: 45_000 });
  // The manufacturer lifts its own hold (a regulator's or an alert's hold it may not lift).
  const release = await gasOf(m.releaseLot(lotIdOf(gtin, "B1"), ethers.id("investigation closed")));
  rows.push({ domain: "supply", operation: "release", scale: null, gasUsed: release, budget: 45_000 });

  // A shipment to a pharmacy that is then suspended: the sender takes the units back.
  const stranded = id("ship to a pharmacy about to be suspended");
  await (await supply.connect(f.wholesaler).ship(lotId, f.pharmacy.address, 10, stranded)).wait();
  await (await f.registry.connect(f.registrar).suspendMember(f.pharmacy.address, ethers.ZeroHash)).wait();
  const cancel = await gasOf(
    supply.connect(f.wholesaler).cancelShipment(lotId, f.pharmacy.address, 10, stranded, id("returned to stock")),
  );
  rows.push({ domain: "supply", operation: "cancelShipment", scale: null, gasUsed: cancel, budget: 65_000 });
  const recall = await gasOf(m.recallLot(lotId, RecallClass.ClassII, ethers.id("recall notice")));
  rows.push({ domain: "supply", operation: "recall", scale: null, gasUsed: recall, budget: 45_000 });
  return rows;
}
