// The shapes a secret can leak in, for the suite's secret sweeps.
/**
 * A secret as it is, form-encoded (a query or form body), percent-encoded (a URL) and in base64
 * (a Basic header), without padding: what a sweep for leaks must look for. Made here with the
 * platform's encoders, independently of src/redact.ts.
 */
export function shapesOf(secret: string): string[] {
  const shapes = [
    secret,
    new URLSearchParams([["s", secret]]).toString().slice("s=".length),
    encodeURIComponent(secret),
    Buffer.from(secret, "utf8").toString("base64").replace(/=+$/, ""),
  ];
  return [...new Set(shapes)];
}
