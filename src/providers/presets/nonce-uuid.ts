// The request's $nonce as a UUID (8-4-4-4-12 hex digits), for the vendors whose nonce is one
// (Hikvision Artemis's X-Ca-Nonce, Alibaba's SignatureNonce). A JSONata assignment a preset's sign
// begins with: $nonce rather than $uuid(), so the stamp of a request fixes it (a test vector's
// nonce), whether that nonce is 32 hex digits (the runtime's) or already a UUID (the vendors' examples).
export const NONCE_UUID = `$nonceUuid := (
    $hex := $replace($nonce, "-", "");
    $join([$substring($hex, 0, 8), $substring($hex, 8, 4), $substring($hex, 12, 4),
           $substring($hex, 16, 4), $substring($hex, 20, 12)], "-")
  );`;
