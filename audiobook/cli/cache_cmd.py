"""`audiobook cache`: where the cache is, how big, how useful the last build found it;
`audiobook cache prune` and `audiobook cache clear`."""

from __future__ import annotations

from pathlib import Path

import typer

from audiobook.cli import options

cache_app = typer.Typer(
    help="Show the clip cache (location, size, hit rate of the last build); prune or clear it.",
    invoke_without_command=True,
    no_args_is_help=False,
)


def _root(cache_dir: Path | None) -> Path:
    from audiobook.audio.cache import default_cache_dir

    return cache_dir or default_cache_dir()


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB"


@cache_app.callback()
def show(ctx: typer.Context, cache_dir: options.CacheDir = None) -> None:
    """Location, size per part, the size cap and the last build's hit rate."""
    if ctx.invoked_subcommand is not None:
        return
    from audiobook.audio.cachedir import MAX_ENV, usage

    found = usage(_root(cache_dir))
    typer.echo(f"Location:   {found.root}")
    typer.echo(f"Size:       {_mb(found.total)} of {_mb(found.cap)} allowed ({MAX_ENV})")
    labels = {"clips": "speech clips", "m4b": "M4B chapter pieces", "frontend": "text analysis"}
    for part, label in labels.items():
        typer.echo(
            f"  {label + ':':<20} {_mb(found.bytes[part]):>12}  {found.entries[part]:,} files"
        )
    last = found.last_build
    if last:
        hits, misses = int(last.get("hits", 0)), int(last.get("misses", 0))
        rate = hits / (hits + misses) if hits + misses else 0.0
        typer.echo(
            f"Last build: {last.get('book', '?')} ({last.get('when', '?')}): {rate:.0%} hit rate, "
            f"{hits:,} clips from the cache, {misses:,} rendered"
        )
    else:
        typer.echo("Last build: none recorded")


@cache_app.command()
def prune(
    cache_dir: options.CacheDir = None,
    max_size: options.MaxSize = None,
) -> None:
    """Remove the least recently used clips and pieces until the cache fits its cap."""
    from audiobook.audio.cachedir import max_bytes, parse_size
    from audiobook.audio.cachedir import prune as prune_cache

    cap = max_bytes(parse_size(max_size) if max_size else None)
    removed, freed, _ = prune_cache(_root(cache_dir), cap)
    typer.echo(f"Removed {removed:,} entries, {_mb(freed)} freed (cap {_mb(cap)})")


@cache_app.command()
def clear(cache_dir: options.CacheDir = None) -> None:
    """Remove everything in the cache (it fills again on the next build)."""
    from audiobook.audio.cachedir import clear as clear_cache

    root = _root(cache_dir)
    typer.echo(f"Removed {_mb(clear_cache(root))} from {root}")
