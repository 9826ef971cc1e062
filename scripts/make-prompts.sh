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

# A fragment of a sentence said from pieces (numbers, the words around them): the silence
# espeak-ng puts before and after is cut, leaving a short natural gap.
word() { # name voice text
    espeak-ng -v "$2" -s 150 -w /tmp/prompt-$$.wav "$3"
    sox /tmp/prompt-$$.wav -r 8000 -c 1 -e u-law -b 8 "$1.wav" \
        silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse norm -3 pad 0 0.08
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
# The satisfaction survey after the agent releases (crates/voice/src/survey.rs).
say zh-survey cmn "请为本次服务评分。非常满意请按5，满意请按4，一般请按3，不满意请按2，非常不满意请按1。"
say en-survey en-us "Please rate our service. Press 5 if you were very satisfied, down to 1 if you were very dissatisfied."
say zh-survey-thanks cmn "感谢您的评价，再见。"
say en-survey-thanks en-us "Thank you for your rating. Goodbye."
# Music on hold: a soft two-chord loop, 8 seconds.
sox -n -r 8000 -c 1 -e u-law -b 8 music.wav synth 2 pluck C4 pluck E4 pluck G4 : synth 2 pluck A3 pluck C4 pluck E4 : synth 2 pluck F3 pluck A3 pluck C4 : synth 2 pluck G3 pluck B3 pluck D4 gain -12

# The place-in-line announcement (crates/voice/src/announce.rs names every piece): numbers
# 0-10 in Chinese (十二 = 十 二), 0-19 and the tens in English, and the words around them.
zh_numbers=(零 一 二 三 四 五 六 七 八 九 十)
for n in $(seq 0 10); do word "zh-$n" cmn "${zh_numbers[$n]}"; done
en_numbers=(zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen)
for n in $(seq 0 19); do word "en-$n" en-us "${en_numbers[$n]}"; done
for t in 2:twenty 3:thirty 4:forty 5:fifty 6:sixty 7:seventy 8:eighty 9:ninety; do
    word "en-${t%%:*}0" en-us "${t#*:}"
done
word zh-next cmn "下一位就是您。"
word zh-position-1 cmn "您现在排在第"
word zh-position-2 cmn "位。"
word zh-wait-1 cmn "预计还需等待"
word zh-wait-2 cmn "分钟。"
word zh-wait-short cmn "预计等待不到一分钟。"
word en-next en-us "You are next in line."
word en-position-1 en-us "You are number"
word en-position-2 en-us "in line."
word en-wait-1 en-us "Your estimated wait is"
word en-wait-2 en-us "minutes."
word en-wait-short en-us "Your estimated wait is less than a minute."
# Voicemail: the greeting, the tone before recording.
say zh-voicemail cmn "坐席暂时无法接听。请在提示音后留言，留言完毕请按井号键。"
say en-voicemail en-us "All our agents are busy. Please leave a message after the tone, and press the hash key when you are done."
# Ringback an agent hears while the customer of an outbound call rings: China's cadence,
# 450 Hz for 1 s then 4 s of silence (crates/voice/src/outbound.rs repeats it).
sox -n -r 8000 -c 1 -e u-law -b 8 ringback.wav synth 1 sine 450 gain -10 pad 0 4
sox -n -r 8000 -c 1 -e u-law -b 8 beep.wav synth 0.4 sine 1000 gain -6 pad 0.1 0.1
