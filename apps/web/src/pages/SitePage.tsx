/** Site page (placeholder until its story lands). */
export function SitePage() {
  return <h1>Site and IRB</h1>;
}
