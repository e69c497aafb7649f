import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { ServiceDeps } from '../deps.ts';

const KEY_SETTING = 'integration_secret_key';
const VERSION = 'v1';

/**
 * Encrypts integration secrets (Shopify tokens, webhook secrets, the Slack URL, CMS credentials)
 * at rest with AES-256-GCM. The key lives in the settings table like the asset-URL secret, so every
 * node of a fleet decrypts alike; a database dump alone without that row reveals nothing, and the
 * purpose is bound as associated data so one field's ciphertext cannot be pasted into another.
 */
export class SecretBox {
  readonly #key: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
  }

  static async create(deps: Pick<ServiceDeps, 'db' | 'settings'>): Promise<SecretBox> {
    const hex = await deps.settings.getOrCreate(deps.db, KEY_SETTING, randomBytes(32).toString('hex'));
    return new SecretBox(Buffer.from(hex, 'hex'));
  }

  /** `v1:<iv>:<tag>:<ciphertext>`, base64url parts. */
  seal(plaintext: string, purpose: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join(':');
  }

  open(sealed: string, purpose: string): string {
    const [version, iv, tag, body] = sealed.split(':');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('Not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
