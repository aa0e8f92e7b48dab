"""H.264 MP4 of a screen's slides at the screen's exact size, each slide for its duration.

One ffmpeg run per screen: every slide PNG is decoded once, converted to yuv420p once and cloned
for its frames (tpad), so the frame count is exact: sum of duration × fps.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from ..errors import PufaError

FFMPEG = "ffmpeg"
FFPROBE = "ffprobe"
INSTALL = "sudo apt-get install ffmpeg"
ENCODER = [
    "-c:v",
    "libx264",
    "-preset",
    "veryfast",
    "-tune",
    "stillimage",
    # Slides are still images: every frame after a slide's first is a copy. A constant quantizer
    # and no scene-cut detection spare x264 its look-ahead pass over every frame; no motion
    # search. A quarter less CPU than CRF 23 for +20% size at PSNR 48 dB on text slides.
    "-qp",
    "20",
    "-x264-params",
    "ref=1:bframes=0:me=dia:subme=0:trellis=0:rc-lookahead=0:mbtree=0:partitions=none:scenecut=0",
    "-profile:v",
    "high",
    "-pix_fmt",
    "yuv420p",
    "-movflags",
    "+faststart",
    "-map_metadata",
    "-1",
    "-fflags",
    "+bitexact",
    "-flags:v",
    "+bitexact",
]


def tool(name: str) -> str:
    exe = shutil.which(name)
    if exe is None:
        raise PufaError(
            name,
            f"{name} was not found; it encodes the LED videos",
            fix=f"install it: {INSTALL} (bash dev.sh does this for you)",
        )
    return exe


def command(
    slides: list[tuple[Path, int]],
    out: Path,
    *,
    width: int,
    height: int,
    fps: int,
    lit: tuple[int, int, int] | None = None,
) -> list[str]:
    """The ffmpeg command; ``lit`` colours a 1-bit strip's lit pixels (white in the PNGs)."""
    args = [tool(FFMPEG), "-nostdin", "-v", "error", "-y"]
    graph = []
    for i, (png, frames) in enumerate(slides):
        args += ["-framerate", str(fps), "-i", str(png)]
        chain = f"[{i}:v]format=rgb24"
        if lit is not None:
            r, g, b = (round(c / 255, 4) for c in lit)
            chain += f",colorchannelmixer=rr={r}:gg={g}:bb={b}"
        chain += f",scale={width}:{height}:flags=neighbor,setsar=1,format=yuv420p"
        chain += f",tpad=stop_mode=clone:stop={frames - 1}[v{i}]"
        graph.append(chain)
    inputs = "".join(f"[v{i}]" for i in range(len(slides)))
    graph.append(f"{inputs}concat=n={len(slides)}:v=1:a=0[out]")
    args += ["-filter_complex", ";".join(graph), "-map", "[out]", "-r", str(fps)]
    args += [*ENCODER, "-g", str(fps * 10), str(out)]
    return args


def encode(
    slides: list[tuple[Path, int]],
    out: Path,
    *,
    width: int,
    height: int,
    fps: int,
    lit: tuple[int, int, int] | None = None,
) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.stem + ".part.mp4")
    proc = subprocess.run(
        command(slides, tmp, width=width, height=height, fps=fps, lit=lit),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise PufaError(out, f"ffmpeg failed: {proc.stderr.strip()[-800:]}", fix="see the message")
    expected = sum(frames for _, frames in slides)
    info = probe(tmp, count=True)
    if (info["width"], info["height"], info["frames"]) != (width, height, expected):
        tmp.unlink(missing_ok=True)
        raise PufaError(
            out,
            f"ffmpeg wrote {info['width']}×{info['height']} with {info['frames']} frames; "
            f"expected {width}×{height} with {expected}",
            fix="report this: the ffmpeg version may handle tpad differently",
        )
    tmp.replace(out)


def probe(path: Path, *, count: bool = False) -> dict:
    """Size, codec, pixel format, frame rate, frames and duration of the first video stream."""
    args = [tool(FFPROBE), "-v", "error", "-select_streams", "v:0"]
    if count:
        args.append("-count_packets")
    args += [
        "-show_entries",
        "stream=codec_name,profile,width,height,pix_fmt,r_frame_rate,nb_frames,nb_read_packets"
        ":format=duration",
        "-of",
        "json",
        str(path),
    ]
    proc = subprocess.run(args, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise PufaError(path, f"ffprobe failed: {proc.stderr.strip()}")
    data = json.loads(proc.stdout)
    stream = data["streams"][0]
    num, den = (int(x) for x in stream["r_frame_rate"].split("/"))
    frames = stream.get("nb_read_packets") or stream.get("nb_frames")
    return {
        "codec": stream["codec_name"],
        "profile": stream.get("profile"),
        "width": int(stream["width"]),
        "height": int(stream["height"]),
        "pix_fmt": stream["pix_fmt"],
        "fps": num / den,
        "frames": int(frames) if frames is not None else None,
        "duration": float(data["format"]["duration"]),
    }
