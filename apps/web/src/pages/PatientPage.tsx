/** Patient page (placeholder until its story lands). */
export function PatientPage() {
  return <h1>Patient</h1>;
}
