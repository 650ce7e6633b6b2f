/**
 * Photos of judged submissions on disk, under `HUNT_MEDIA_DIR` (default `.data/media`):
 * `<dir>/<hunt id>/<submission id>.<ext>`. Several nodes may share one volume: a write goes to a
 * temporary file and is renamed into place, so a reader never sees half a photo. Hunt and
 * submission ids are checked before they become path segments.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** The photo formats a submission may carry, told by their first bytes. */
export type MediaType = 'jpg' | 'png' | 'webp';

export const MEDIA_CONTENT_TYPES: Readonly<Record<MediaType, string>> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

/** The largest photo a submission may carry, decoded: 5 MiB. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** The format of `bytes` by its magic numbers, or null when it is none of JPEG, PNG and WebP. */
export function sniffMedia(bytes: Uint8Array): MediaType | null {
  const at = (i: number, ...b: number[]): boolean => b.every((v, k) => bytes[i + k] === v);
  if (bytes.length >= 3 && at(0, 0xff, 0xd8, 0xff)) return 'jpg';
  if (bytes.length >= 8 && at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (bytes.length >= 12 && at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  return null;
}

const SEGMENT = /^[A-Za-z0-9_-]{1,64}$/;
const EXTENSIONS: readonly string[] = Object.keys(MEDIA_CONTENT_TYPES);

function segment(value: string, what: string): string {
  if (!SEGMENT.test(value)) throw new Error(`${what} ${JSON.stringify(value.slice(0, 80))} cannot name a media file`);
  return value;
}

export function isMediaType(value: string): value is MediaType {
  return EXTENSIONS.includes(value);
}

export class MediaStore {
  readonly dir: string;

  /** `dir`: the media folder. @default process.env.HUNT_MEDIA_DIR ?? '.data/media' */
  constructor(dir?: string) {
    this.dir = resolve(dir ?? process.env.HUNT_MEDIA_DIR ?? '.data/media');
  }

  private huntDir(hunt: string): string {
    return join(this.dir, segment(hunt, 'hunt id'));
  }

  private file(hunt: string, id: string, type: MediaType): string {
    return join(this.huntDir(hunt), `${segment(id, 'submission id')}.${type}`);
  }

  /** Writes a photo atomically (a temporary file renamed into place); the folder is private to this user. */
  async put(hunt: string, id: string, type: MediaType, bytes: Uint8Array): Promise<void> {
    const target = this.file(hunt, id, type);
    await mkdir(this.huntDir(hunt), { recursive: true, mode: 0o700 });
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, bytes, { mode: 0o600, flag: 'wx' });
      await rename(tmp, target);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }

  /** A photo's bytes, or null when there is none. */
  async get(hunt: string, id: string, type: MediaType): Promise<Buffer | null> {
    try {
      return await readFile(this.file(hunt, id, type));
    } catch (err) {
      if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return null;
      throw err;
    }
  }

  async remove(hunt: string, id: string, type: MediaType): Promise<void> {
    await unlink(this.file(hunt, id, type)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /** Deletes every photo of a hunt (its folder); for the deletion of a hunt. Nothing there is fine. */
  async removeHunt(hunt: string): Promise<void> {
    await rm(this.huntDir(hunt), { recursive: true, force: true });
  }
}
