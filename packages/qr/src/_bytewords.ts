/**
 * Bytewords, minimal style (Blockchain Commons BCR-2020-012): each byte is the first and last letter of its word in
 * the 256-word list, and the text ends with the CRC-32 of the data (4 bytes, big-endian). Written from the
 * specification; cross-checked against `@ngraveio/bc-ur` in the tests.
 * @module
 */
import { concatBytes } from '@privkit/core';
import { _crc32, _u32be } from './_crc32.js';
import { QrFrameFormatError } from './errors.js';

/** The 256 four-letter words of BCR-2020-012, in byte order. */
const WORDS = 'ableacidalsoapexaquaarchatomauntawayaxisbackbaldbarnbeltbetabiasbluebodybragbrewbulbbuzzcalmcashcatschefcityclawcodecolacookcostcruxcurlcuspcyandarkdatadaysdelidicedietdoordowndrawdropdrumdulldutyeacheasyechoedgeepicevenexamexiteyesfactfairfernfigsfilmfishfizzflapflewfluxfoxyfreefrogfuelfundgalagamegeargemsgiftgirlglowgoodgraygrimgurugushgyrohalfhanghardhawkheathelphighhillholyhopehornhutsicedideaidleinchinkyintoirisironitemjadejazzjoinjoltjowljudojugsjumpjunkjurykeepkenokeptkeyskickkilnkingkitekiwiknoblamblavalazyleaflegsliarlimplionlistlogoloudloveluaulucklungmainmanymathmazememomenumeowmildmintmissmonknailnavyneednewsnextnoonnotenumbobeyoboeomitonyxopenovalowlspaidpartpeckplaypluspoempoolposepuffpumapurrquadquizraceramprealredorichroadrockroofrubyruinrunsrustsafesagascarsetssilkskewslotsoapsolosongstubsurfswantacotasktaxitenttiedtimetinytoiltombtoystriptunatwinuglyundouniturgeuservastveryvetovialvibeviewvisavoidvowswallwandwarmwaspwavewaxywebswhatwhenwhizwolfworkyankyawnyellyogayurtzapszerozestzinczonezoom';

let decodeTable: Int16Array | undefined;

/** (first letter, last letter) → byte value, or -1. */
function table(): Int16Array {
  if (decodeTable) return decodeTable;
  decodeTable = new Int16Array(26 * 26).fill(-1);
  for (let b = 0; b < 256; b++) decodeTable[(WORDS.charCodeAt(4 * b) - 97) * 26 + (WORDS.charCodeAt(4 * b + 3) - 97)] = b;
  return decodeTable;
}

/** Minimal bytewords of `data` followed by its CRC-32 (lower case). */
export function _bytewordsEncode(data: Uint8Array): string {
  const all = concatBytes(data, _u32be(_crc32(data)));
  let out = '';
  for (const b of all) out += WORDS[4 * b]! + WORDS[4 * b + 3]!;
  return out;
}

/**
 * Decodes minimal bytewords (lower case) and checks the trailing CRC-32.
 * @throws {QrFrameFormatError} QR_FRAME_INVALID for an odd length, an unknown letter pair, or a wrong checksum
 */
export function _bytewordsDecode(text: string): Uint8Array {
  if (text.length % 2 !== 0 || text.length < 10) throw new QrFrameFormatError('bytewords: wrong length', { code: 'QR_FRAME_INVALID' });
  const t = table();
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const a = text.charCodeAt(2 * i) - 97;
    const z = text.charCodeAt(2 * i + 1) - 97;
    const v = a >= 0 && a < 26 && z >= 0 && z < 26 ? t[a * 26 + z]! : -1;
    if (v < 0) throw new QrFrameFormatError('bytewords: not a byteword', { code: 'QR_FRAME_INVALID' });
    out[i] = v;
  }
  const data = out.subarray(0, out.length - 4);
  const sum = out.subarray(out.length - 4);
  const want = _u32be(_crc32(data));
  if (sum.some((b, i) => b !== want[i])) throw new QrFrameFormatError('bytewords: checksum mismatch', { code: 'QR_FRAME_INVALID' });
  return data;
}
