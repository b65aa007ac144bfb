"""Command lines of tools/report and tools/export-iamc.

Exit codes as regsim's: 0 ok, 2 invalid input (a bad flag, a missing,
corrupt or non-regsim file), with one line `PROG: error: ...` on stderr.
"""
import argparse
import pathlib
import sys

from .runfile import InputError, open_runs


def _fail(prog, message):
    print(f"{prog}: error: {message}", file=sys.stderr)
    return 2


def report_main(argv=None):
    prog = "tools/report"
    parser = argparse.ArgumentParser(
        prog=prog, description="Charts and a static HTML page from regsim run outputs. With several files, "
                               "scenarios are overlaid and each later file is compared with the first, "
                               "replicate by replicate.")
    parser.add_argument("files", nargs="*", metavar="OUT.h5",
                        help="regsim run output files; `regsim attribute` files add an Attribution section")
    parser.add_argument("-o", "--output", metavar="DIR",
                        help="directory for index.html (calibration.html) and the PNGs; with --calibration, "
                             "default: the calibration directory")
    parser.add_argument("--calibration", metavar="DIR",
                        help="instead of run files, the output directory of `regsim calibrate`: one chart per "
                             "target and calibration.html")
    parser.add_argument("--targets", metavar="TARGETS.yaml",
                        help="observations for the 'model vs data' chart (default: calibration/targets.yaml)")
    parser.add_argument("--lang", choices=["en", "zh"], default="en",
                        help="language of the charts and index.html: en (default) or zh (Chinese)")
    parser.add_argument("--open", action="store_true",
                        help="print the page's file:// URL to open in a browser (starts and serves nothing)")
    parser.add_argument("--map-indicator", default="unemployment_rate", metavar="INDICATOR",
                        help="indicator colouring the city map, median at the last reported month "
                             "(default: unemployment_rate)")
    args = parser.parse_args(argv)
    if args.calibration is not None:
        if args.files:
            parser.error("--calibration takes no run files")
        if args.lang != "en":
            parser.error("--lang: the calibration report is in English only")
        return _calibration_report(prog, args.calibration, args.output or args.calibration, args.open)
    if not args.files:
        parser.error("the following arguments are required: OUT.h5")
    if args.output is None:
        parser.error("the following arguments are required: -o/--output")
    from .attribution import is_attribution_file, open_attributions
    run_files = [f for f in args.files if not is_attribution_file(f)]
    try:
        attributions = open_attributions([pathlib.Path(f) for f in args.files if is_attribution_file(f)])
        runs = open_runs(run_files) if run_files else []
    except InputError as e:
        return _fail(prog, e)
    if not runs:
        def build_attribution_site(out):
            from .report import build_attribution
            return build_attribution(attributions, out, args.lang)

        return _write_site(prog, args.output, "index.html", build_attribution_site, args.open)
    try:
        if args.map_indicator not in runs[0].indicators:
            parser.error(f"--map-indicator: '{args.map_indicator}' is not an indicator of {runs[0].path}")

        def build_site(out):
            from .report import build  # after argument checks: matplotlib takes a moment to import
            return build(runs, out, args.map_indicator, args.targets, args.lang, attributions)

        return _write_site(prog, args.output, "index.html", build_site, args.open)
    finally:
        for r in runs:
            r.close()


def _calibration_report(prog, directory, output, open_url):
    def build_site(out):
        from .calibration import build_calibration  # matplotlib takes a moment to import
        return build_calibration(directory, out)

    return _write_site(prog, output, "calibration.html", build_site, open_url)


def _write_site(prog, output, page, build_site, open_url=False):
    """Run build_site(out) into the directory `output`; bad input or an unwritable place: exit 2.
    With `open_url`, print the page's file:// URL: a static page needs no server, and a test or a remote
    shell must not find a browser started behind its back."""
    out = pathlib.Path(output)
    if out.exists() and not out.is_dir():
        return _fail(prog, f"{out}: exists and is not a directory")
    try:
        charts = build_site(out)
    except InputError as e:
        return _fail(prog, e)
    except PermissionError as e:
        return _fail(prog, f"{out}: cannot write ({e.strerror})")
    print(f"{prog}: wrote {out / page} and {len(charts)} charts")
    if open_url:
        print((out / page).resolve().as_uri())
    return 0


def _quantiles(text):
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of numbers") from None
    if any(not 0.0 <= v <= 1.0 for v in values):
        raise argparse.ArgumentTypeError("quantiles must lie between 0 and 1")
    return values


def export_main(argv=None):
    from .iamc import DEFAULT_GROUP_KINDS, export, write_xlsx
    prog = "tools/export-iamc"
    parser = argparse.ArgumentParser(
        prog=prog, description="Export /aggregates of regsim outputs in the IAMC long format "
                               "(Model, Scenario, Region, Variable, Unit, one column per year).")
    parser.add_argument("files", nargs="+", metavar="OUT.h5", help="regsim run output files")
    parser.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="the CSV file to write (with --xlsx, the workbook)")
    parser.add_argument("--xlsx", action="store_true",
                        help="write an Excel workbook instead: one sheet per region level and the goal ledger "
                             "by province")
    parser.add_argument("--quantiles", type=_quantiles, default=[0.05, 0.5, 0.95], metavar="Q,Q,...",
                        help="quantiles over replicates (default: 0.05,0.5,0.95)")
    parser.add_argument("--mean", action=argparse.BooleanOptionalAction, default=True,
                        help="also export the mean over replicates (default: yes)")
    parser.add_argument("--groups", default=",".join(DEFAULT_GROUP_KINDS), metavar="KIND,...",
                        help="group kinds: nation, province, category, resource (default: nation,province,category)")
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.groups.split(",") if k.strip()]
    unknown = sorted(set(kinds) - {"nation", "province", "category", "resource"})
    if unknown or not kinds:
        parser.error(f"--groups: unknown group kind(s) {', '.join(unknown) or '(none given)'}")
    if not args.quantiles and not args.mean:
        parser.error("nothing to export: no --quantiles and --no-mean")
    try:
        runs = open_runs(args.files, ledger=args.xlsx)  # the CSV reads /aggregates only, the workbook the goals too
    except InputError as e:
        return _fail(prog, e)
    try:
        if args.xlsx:
            rows = write_xlsx(runs, args.output, args.quantiles, args.mean, kinds)
        else:
            table = export(runs, args.quantiles, args.mean, kinds)
            rows = len(table)
            table.to_csv(args.output, index=False, float_format="%.6g")
    except InputError as e:
        return _fail(prog, e)
    except OSError as e:
        return _fail(prog, f"{args.output}: cannot write ({e.strerror})")
    finally:
        for r in runs:
            r.close()
    print(f"{prog}: wrote {args.output} ({rows} rows)")
    return 0
