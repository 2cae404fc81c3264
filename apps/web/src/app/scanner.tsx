/**
 * Reading a GS1 2D code three ways: the camera (zxing-wasm on video frames), an image file, or a
 * keyboard-wedge scanner typing into a field. zxing-wasm's .wasm is served by this app (imported with
 * ?url), never fetched from a CDN. A scanner's group separator (GS, 0x1D) arrives as a control
 * character — typed as Ctrl+] by many wedge scanners — and is kept as such.
 */
import type { ReaderOptions } from "zxing-wasm/reader";
import wasmUrl from "zxing-wasm/reader/zxing_reader.wasm?url";
import { useEffect, useRef, useState } from "react";

const GS = "\u001d";
type ZXing = typeof import("zxing-wasm/reader");
let zxing: Promise<ZXing> | undefined;

/** zxing-wasm, loaded on the first read: its JS as a chunk of this app, its .wasm from this app too. */
function reader(): Promise<ZXing> {
  zxing ??= import("zxing-wasm/reader").then((z) => {
    z.prepareZXingModule({
      overrides: {
        locateFile: (p: string, prefix: string) =>
          p.endsWith(".wasm") ? new URL(wasmUrl, location.href).href : prefix + p,
      },
    });
    return z;
  });
  return zxing;
}

// Plain text: a GS1 code keeps its FNC1 separators as GS characters (HRI mode would bracket the AIs).
const OPTIONS: ReaderOptions = {
  formats: ["DataMatrix", "QRCode"],
  tryHarder: true,
  maxNumberOfSymbols: 1,
  textMode: "Plain",
};

/** The text of the first code in an image (file or frame), with its symbology identifier (e.g. "]d2"). */
async function decode(input: Blob | ImageData): Promise<string | undefined> {
  const { readBarcodes } = await reader();
  const [result] = await readBarcodes(input, OPTIONS);
  if (!result?.isValid) return undefined;
  // "]d2" (GS1 DataMatrix) or "]Q3" (GS1 QR) before the element string, as a wedge scanner sends it.
  return result.text.startsWith("(") ? result.text : (result.symbologyIdentifier ?? "") + result.text;
}

/** Shows control characters readably (GS as ␝). */
export function visible(scan: string): string {
  return scan.replaceAll(GS, "␝");
}

export function Scanner({ onScan, disabled }: { onScan: (scan: string) => void; disabled?: boolean }) {
  const [typed, setTyped] = useState("");
  const [message, setMessage] = useState<string>();
  const [camera, setCamera] = useState(false);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (!camera) return;
    let stream: MediaStream | undefined;
    let stopped = false;
    const canvas = document.createElement("canvas");
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
        if (stopped || !video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        while (!stopped && video.current) {
          const v = video.current;
          if (v.videoWidth > 0) {
            canvas.width = v.videoWidth;
            canvas.height = v.videoHeight;
            const g = canvas.getContext("2d", { willReadFrequently: true })!;
            g.drawImage(v, 0, 0);
            const text = await decode(g.getImageData(0, 0, canvas.width, canvas.height));
            if (text) {
              setCamera(false);
              onScan(text);
              return;
            }
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      } catch (e) {
        setMessage(`The camera could not be used: ${e instanceof Error ? e.message : String(e)}`);
        setCamera(false);
      }
    })();
    return () => {
      stopped = true;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [camera, onScan]);

  const fromFile = async (file: File | undefined) => {
    if (!file) return;
    setMessage("Reading the image…");
    try {
      const text = await decode(file);
      if (!text) return setMessage("No GS1 code was found in that image. Try a sharper, closer picture.");
      setMessage(undefined);
      onScan(text);
    } catch (e) {
      setMessage(`The image could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <section className="card" aria-label="Scan a pack">
      <h2>Scan a pack</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim()) onScan(typed.trim().replaceAll("<GS>", GS));
        }}
      >
        <label htmlFor="wedge">Scanner or typed code</label>
        <input
          id="wedge"
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={visible(typed)}
          aria-describedby="wedge-help"
          onKeyDown={(e) => {
            // A wedge scanner types GS as Ctrl+]: keep it as the control character.
            if (e.ctrlKey && (e.key === "]" || e.code === "BracketRight")) {
              e.preventDefault();
              setTyped((t) => t + GS);
            }
          }}
          onChange={(e) => setTyped(e.target.value.replaceAll("␝", GS))}
        />
        <p id="wedge-help" className="hint">
          Scan into this field, or type the code: bracketed (01)…(21)…, a GS1 Digital Link, or raw with &lt;GS&gt;.
        </p>
        <button type="submit" disabled={disabled}>
          Check this code
        </button>
      </form>
      <label htmlFor="upload">Or a photo of the code</label>
      <input id="upload" type="file" accept="image/*" onChange={(e) => void fromFile(e.target.files?.[0])} />
      <div>
        <button type="button" className="secondary" onClick={() => setCamera((c) => !c)} aria-pressed={camera}>
          {camera ? "Stop the camera" : "Scan with the camera"}
        </button>
      </div>
      {camera && <video ref={video} muted playsInline aria-label="Camera preview" />}
      {message && (
        <p role="status" className="hint">
          {message}
        </p>
      )}
    </section>
  );
}
