#!/usr/bin/env bash
# Makes the demo's IVR prompts (Chinese and English) with espeak-ng and sox, as 8 kHz µ-law
# WAV files in crates/server/assets/prompts/. Run once by hand (apt-get install espeak-ng
# sox); the files are checked in and compiled into the server, so a build needs neither.
set -euo pipefail
cd "$(dirname "$0")/../crates/server/assets/prompts"

say() { # name voice text
    espeak-ng -v "$2" -s 150 -w /tmp/prompt-$$.wav "$3"
    sox /tmp/prompt-$$.wav -r 8000 -c 1 -e u-law -b 8 "$1.wav" norm -3
    rm -f /tmp/prompt-$$.wav
}

say zh-welcome cmn "欢迎致电Switchboard演示热线。售前咨询请按1，售后服务请按2，人工服务请按0。"
say en-welcome en-us "Welcome to the Switchboard demo hotline. For sales, press 1. For after-sales service, press 2. For an operator, press 0."
say zh-invalid cmn "输入有误，请重新选择。"
say en-invalid en-us "Sorry, that is not a valid choice."
say zh-queue cmn "您的来电正在排队，请稍候，我们将尽快为您服务。"
say en-queue en-us "Please hold. An agent will be with you shortly."
say zh-goodbye cmn "感谢您的来电，再见。"
say en-goodbye en-us "Thank you for calling. Goodbye."
# Music on hold: a soft two-chord loop, 8 seconds.
sox -n -r 8000 -c 1 -e u-law -b 8 music.wav synth 2 pluck C4 pluck E4 pluck G4 : synth 2 pluck A3 pluck C4 pluck E4 : synth 2 pluck F3 pluck A3 pluck C4 : synth 2 pluck G3 pluck B3 pluck D4 gain -12
