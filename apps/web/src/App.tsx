/** The app shell: configuration, wallet, a nav with one page per role (hash routes, so any static host works). */
import { useEffect, useState, type ComponentType } from "react";
import { loadConfig, type AppConfig } from "./app/config";
import { AppProvider } from "./app/sdk";
import { readableError } from "./app/ui";
import { WalletBar, WalletProvider } from "./app/wallet";
import { ParticipantPage } from "./pages/ParticipantPage";
import { PatientPage } from "./pages/PatientPage";
import { PharmacyPage } from "./pages/PharmacyPage";
import { SitePage } from "./pages/SitePage";

const PAGES: { path: string; label: string; component: ComponentType }[] = [
  { path: "pharmacy", label: "Pharmacy", component: PharmacyPage },
  { path: "patient", label: "Patient", component: PatientPage },
  { path: "participant", label: "Trial participant", component: ParticipantPage },
  { path: "site", label: "Site and IRB", component: SitePage },
];

function useRoute(): string {
  const read = () => window.location.hash.replace(/^#\/?/, "") || PAGES[0].path;
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

export function App() {
  const [config, setConfig] = useState<AppConfig>();
  const [error, setError] = useState<unknown>();
  const route = useRoute();
  useEffect(() => {
    loadConfig().then(setConfig, setError);
  }, []);
  const page = PAGES.find((p) => p.path === route) ?? PAGES[0];
  useEffect(() => {
    document.title = `${page.label} — Carechain`;
  }, [page]);
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header>
        <p className="brand">Carechain</p>
        <nav aria-label="Pages">
          <ul>
            {PAGES.map((p) => (
              <li key={p.path}>
                <a href={`#/${p.path}`} aria-current={p === page ? "page" : undefined}>
                  {p.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main">
        {error !== undefined && (
          <p role="alert" className="error">
            This app could not start: {readableError(error)}
          </p>
        )}
        {!config && error === undefined && <p>Loading the deployment…</p>}
        {config && (
          <AppProvider config={config}>
            <WalletProvider expectedChainId={BigInt(config.chainId)}>
              <WalletBar />
              <page.component key={page.path} />
            </WalletProvider>
          </AppProvider>
        )}
      </main>
    </>
  );
}
