/** One line for the person setting up OBS; never shown for a mere outage. */
export function SetupNotice({ text }: { text: string }) {
  return (
    <p class="setup" data-part="setup" role="alert">
      {text}
    </p>
  );
}
