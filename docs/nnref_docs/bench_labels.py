"""Titles of the benchmarks and the Japanese names of their figures.

The English label of a figure comes from the results file itself (the script
writes it); the Japanese one is kept here, by figure name. A figure a script
writes that is missing here fails the build (``bench_results.check``).
"""

#: benchmark name (benchmarks/bench_NAME.py) -> (English title, Japanese title), in page order
TITLES = {
    "reference": (
        "reference vs micrograd vs the arithmetic floor",
        "参照実装・micrograd・演算の下限の比較",
    ),
    "symbolic": ("symbolic derivations and exact gradients", "記号的な導出と厳密な勾配"),
    "gradcheck": (
        "gradient checker: full vs fast mode",
        "勾配チェッカー: 全体モードと高速モード",
    ),
    "check": ("nnref check against the reference", "参照実装に対する nnref check"),
}

JA = {
    "reference": {
        "reference_grads_per_s": "参照実装、勾配（1 秒あたりのサンプル数）",
        "micrograd_grads_per_s": "micrograd、勾配（1 秒あたりのサンプル数）",
        "speedup_grads": "参照実装の micrograd に対する速さ、勾配",
        "over_floor_grads": "参照実装 / 演算の下限、勾配",
        "reference_step_per_s": "参照実装、学習ステップ（1 秒あたり）",
        "micrograd_step_per_s": "micrograd、学習ステップ（1 秒あたり）",
        "speedup_step": "参照実装の micrograd に対する速さ、学習ステップ（+ Adam）",
        "over_floor_step": "参照実装 / 演算の下限、学習ステップ（+ Adam）",
        "floor_per_s": "演算の下限: 積和の 3 倍（1 秒あたり）",
        "adam_share": "学習ステップに占める Adam の割合",
        "floor_own_weights": "ネットワーク自身の重みの列での下限 / 下限",
        "same_network_difference": "第 1 層の dW の最大の差、参照実装と micrograd の比較",
    },
    "symbolic": {
        "verify_wall_s": "すべての導出の証明、経過時間",
        "verify_cpu_s": "すべての導出の証明、CPU 時間",
        "derivations_proved": "証明された導出の数",
        "registry_build_s": "導出の一覧の構築（初回）、経過時間",
        "tutorial_exact_s": "チュートリアルのネットワークの厳密な勾配（微分と評価）、経過時間",
        "tutorial_total_s": "同上に e の閉じた式と浮動小数点への変換を加えたもの、経過時間",
        "tutorial_over_reference": "記号計算 / 参照実装の誤差逆伝播、同じサンプル",
        "max_params": "サイズの上限 nnref.symbolic.network.MAX_PARAMS",
        "cpu_s_at_guard": "上限以内で最も遅い曲線上の点、CPU 時間",
    },
    "gradcheck": {
        "parameters": "numpy MLP のパラメータ数",
        "f_eval_us": "f の 1 回の評価",
        "full_evaluations": "全体モード、f の評価回数",
        "full_s": "全体モード、時間",
        "full_pass": "全体モードが正しい勾配を通す",
        "fast_correct_evaluations": "高速モード、正しい勾配、評価回数",
        "fast_correct_s": "高速モード、正しい勾配、時間",
        "fast_correct_pass": "高速モードが正しい勾配を通す",
        "fast_wrong_evaluations": "高速モード、誤った成分一つ、評価回数（特定を含む）",
        "fast_wrong_s": "高速モード、誤った成分一つの特定まで、時間",
        "fast_wrong_fails": "高速モードが誤った勾配を落とす",
        "fast_wrong_found": "高速モードが誤った成分を、それだけを名指しする",
        "full_over_fast": "全体 / 高速モードの評価回数（誤った成分一つ）",
        "torch_slow_forward": "torch gradcheck 遅いモード、順伝播の評価回数（2n + k）",
        "torch_fast_forward": "torch gradcheck 高速モード、順伝播の評価回数",
        "torch_fast_backward": "torch gradcheck 高速モード、逆伝播の評価回数",
        "bank_full_false_failures": "関数集、全体モード、誤った不合格",
        "bank_full_misses": "関数集、全体モード、見逃し",
        "bank_full_evaluations": "関数集、全体モード、1 回の検査あたりの評価回数",
        "bank_fast_false_failures": "関数集、高速モード、誤った不合格",
        "bank_fast_misses": "関数集、高速モード、見逃し",
        "bank_fast_evaluations": "関数集、高速モード、1 回の検査あたりの評価回数",
    },
    "check": {
        "full_wall_s": "nnref check（全体）、経過時間",
        "full_cpu_s": "nnref check（全体）、プロセスの CPU 時間",
        "full_exit": "nnref check（全体）、終了コード",
        "quick_wall_s": "nnref check --quick、経過時間",
        "quick_cpu_s": "nnref check --quick、プロセスの CPU 時間",
        "quick_exit": "nnref check --quick、終了コード",
        "full_in_process_wall_s": "nnref check（全体、実装を同じプロセスで実行）、経過時間",
        "full_in_process_cpu_s": "nnref check（全体、実装を同じプロセスで実行）、CPU 時間",
        "full_in_process_exit": "nnref check（全体、実装を同じプロセスで実行）、終了コード",
        "isolation_ratio": "全体：子プロセスでの実行 / 同じプロセスでの実行",
        "hang_wall_s": "tanh が戻らない実装、--quick --timeout 2、経過時間",
        "hang_cpu_s": "tanh が戻らない実装、--quick --timeout 2、CPU 時間",
        "hang_exit": "tanh が戻らない実装、--quick --timeout 2、終了コード",
        "many_jobs2_wall_s": "20 個の実装、--quick --jobs 2、経過時間",
        "many_jobs1_wall_s": "20 個の実装、--quick --jobs 1、経過時間",
        "many_speedup": "--jobs 2 の --jobs 1 に対する速度比",
    },
}
