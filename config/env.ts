import { isIP } from 'node:net';
import { z } from 'zod';
import { parseRedisUrl } from '../redis/index.js';

export const ROLES = ['front', 'shard', 'worker'] as const;
export type Role = (typeof ROLES)[number];

/** The environment a node reads, validated once at start-up. Everything but REDIS_URL and HUNT_GM_KEY has a default. */
export const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    HOST: z.string().default('0.0.0.0'),
    /** redis://, rediss://, redis+cluster:// or rediss+cluster:// (see redis/url.ts) */
    REDIS_URL: z
      .string()
      .superRefine((url, ctx) => {
        try {
          parseRedisUrl(url);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: err instanceof Error ? err.message : String(err) });
        }
      })
      .optional(),
    HUNT_GM_KEY: z.string().min(8).optional(),
    /** Key prefix for every Redis key, channel and queue of this deployment. */
    HUNT_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('hunt'),
    /** Folder for the embedded redis-server and the generated game master key. */
    HUNT_DATA_DIR: z.string().default('.data'),
    /** Player token lifetime in seconds: at most 7 days (server/auth.ts, TOKEN_MAX_TTL_SECONDS). */
    HUNT_TOKEN_TTL: z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600)
      .default(24 * 3600),
    /** Proxies whose `X-Forwarded-For` names the client: comma-separated IPs and CIDRs (empty: none, the TCP peer is the client). */
    HUNT_TRUSTED_PROXIES: z
      .string()
      .default('')
      .superRefine((text, ctx) => {
        for (const entry of text
          .split(',')
          .map((e) => e.trim())
          .filter(Boolean)) {
          const [ip = '', bits] = entry.split('/');
          const family = isIP(ip);
          if (!family || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32))))
            ctx.addIssue({ code: 'custom', message: `${JSON.stringify(entry)} is not an IP address or CIDR block` });
        }
      }),
    /** the embedded redis-server's maxmemory: bytes, or a number with kb, mb or gb; default a quarter of the machine's memory */
    HUNT_REDIS_MAXMEMORY: z
      .string()
      .regex(/^\d+(b|kb|mb|gb)?$/i, 'bytes, or a number with kb, mb or gb (512mb)')
      .optional(),
    /** Folder for photos of photo puzzles, one folder per hunt (deleted with its hunt). */
    HUNT_MEDIA_DIR: z.string().optional(),
    /** 1: /metrics answers loopback clients only */
    HUNT_METRICS_LOOPBACK_ONLY: z.enum(['0', '1']).default('0'),
    /** Tile URL template for the console's maps (`{z}/{x}/{y}`); `none` for a plain background. Default OpenStreetMap's. */
    HUNT_MAP_TILES: z
      .string()
      .max(500)
      .regex(/^(none|https?:\/\/\S+)$/, 'an http(s) URL template or none')
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** `pretty`: readable lines; `json`: one JSON object a line; unset: pretty on a terminal, JSON elsewhere */
    HUNT_LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
    /** what serves HTTP and WebSockets: `auto` (native uWebSockets.js where it loads, else the ws fallback), `uws`, `ws` */
    HUNT_TRANSPORT: z.enum(['auto', 'uws', 'ws']).default('auto'),
    /** PEM certificate (chain) and key: the node serves HTTPS and WSS; both or neither */
    HUNT_TLS_CERT: z.string().optional(),
    HUNT_TLS_KEY: z.string().optional(),
  })
  .refine((env) => (env.HUNT_TLS_CERT === undefined) === (env.HUNT_TLS_KEY === undefined), {
    message: 'HUNT_TLS_CERT and HUNT_TLS_KEY go together: set both or neither',
    path: ['HUNT_TLS_CERT'],
  });
export type Env = z.infer<typeof envSchema>;

export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // a variable set to nothing (REDIS_URL= npm start) means unset
  const given = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment: ${lines.join('; ')}`);
  }
  return parsed.data;
}
