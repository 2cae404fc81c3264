/** Participant page (placeholder until its story lands). */
export function ParticipantPage() {
  return <h1>Trial participant</h1>;
}
