/** `regtags latest --help`: how latest, REF:TAG families and --newer choose, in short (README "Sorting and versions" has the rest). */
export const LATEST_HELP = `Usage: regtags latest [options] REF[:TAG]
       regtags ls --newer [options] REF:TAG

latest REF prints the latest stable release, as Flux and Argo CD Image Updater read a
plain semver range: the highest tag with 2 to 4 numbers (MAJOR below 1000), no prerelease
and no variant suffix. node: 22.1.0, not 23.0.0-rc.1 nor 22.1.0-alpine.

latest REF:TAG picks within TAG's family, as Renovate's docker versioning does:
  - the same variant suffix exactly: 20.11.1-alpine3.19 → 22.1.0-alpine3.19, never -alpine3.20;
    a last segment that counts rebuilds (-ls56, -r5) may change: 1.9.3-ls56 → 1.9.5-ls73
  - the same count of numbers: 20 → 22, 20.11 → 22.1, 20.11.1 → 22.1.0
  - prereleases only if TAG is one (or --include-prerelease)
  - the highest at or above TAG; TAG itself when nothing is newer (exit 0, so scripts can compare)
  TAG must be a version: latest, lts or a commit hash is a usage error (exit 2).
ls --newer REF:TAG lists the family's tags above TAG, lowest first, in any output format.

Options (with every ls option: --include, --exclude, --version-range narrow further):
  --include-prerelease   prereleases qualify too
  --variant SUFFIX       latest of this variant instead of none, e.g. alpine (exact match)
  --any-variant          every variant suffix qualifies (latest without TAG)
  --no-prerelease        accepted; the default (with a prerelease TAG it still drops prereleases)
  --scheme semver|calver|any, --version-regex REGEX   what counts as a version
  --explain              every tag with why it was or was not picked: TAG, reason, detail
                         (reasons: picked, qualifies, current, filtered, not-a-version,
                         other-variant, other-precision, prerelease, outside-range,
                         lower-than-current); --json for one object

Exit codes: 0 a pick was printed, 2 usage (a TAG that is not a version), 9 nothing qualified.
`;
