/** Pharmacy page (placeholder until its story lands). */
export function PharmacyPage() {
  return <h1>Pharmacy</h1>;
}
