/**
 * CRC-32 (IEEE 802.3 / zlib polynomial 0xEDB88320). Atlassian tokens end in the CRC-32 of everything before
 * the last eight characters (facts §4.2–4.4). Written here rather than zlib.crc32 because that only exists
 * from Node 20.15 / 22.2, and the core must stay free of I/O modules.
 */
const table = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of an ASCII/latin1 string, as an unsigned 32-bit integer. */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    crc = table[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The 8 uppercase hex digits Atlassian appends to a token body. */
export function crc32Hex(text: string): string {
  return crc32(text).toString(16).toUpperCase().padStart(8, '0');
}
