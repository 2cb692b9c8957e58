/**
 * What vendor APIs know about a tag beyond the OCI API: dates, sizes,
 * platforms. Every field but `tag` is optional: each vendor fills what it has.
 */
export interface TagDetails {
  readonly tag: string;
  /** Manifest (or index) digest the tag points at. */
  readonly digest?: string;
  /** When the tag was last pushed or moved. */
  readonly updatedAt?: Date;
  /** When the tagged version was first created, where the vendor says. */
  readonly createdAt?: Date;
  /** Total size in bytes, as the vendor reports it. */
  readonly size?: number;
  /** `os/architecture[/variant]` of each platform, for multi-platform images. */
  readonly platforms?: readonly string[];
}

/** One page of a vendor listing. */
export interface DetailsPage {
  readonly details: readonly TagDetails[];
  /** The next page's URL, if any. */
  readonly next: URL | undefined;
  /** Names on the page that are not tags by the distribution spec's grammar, left out of `details`. */
  readonly dropped: number;
}
