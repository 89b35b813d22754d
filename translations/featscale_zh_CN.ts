<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>EnergyShareText</name>
    <message>
        <location filename="../ui/plots/energy_share_text.cpp" line="+66"/>
        <source>%1 carries %2 of the concatenation before L2Norm (after: re-run for the features)</source>
        <translation>L2Norm 之前 %1 占拼接能量的 %2（之后：需重新运行以获得特征）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 carries %2 of the concatenation before L2Norm, %3 after</source>
        <translation>%1 在 L2Norm 之前占拼接能量的 %2，之后占 %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Median over the cells of %1&apos;s map of each layer&apos;s share ‖x_l‖² / Σ‖x_k‖² of %2:</source>
        <translation>%2 中各层能量占比 ‖x_l‖² / Σ‖x_k‖² 在 %1 特征图各单元上的中位数：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2 before, %3 after</source>
        <translation>%1：之前 %2，之后 %3</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../ui/jobs/batch_status.cpp" line="+23"/>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location filename="../ui/panels/trained_weights_dialog.cpp" line="+53"/>
        <source>on disk, verified</source>
        <translation>已在磁盘上，已校验</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>on disk, NOT the published file</source>
        <translation>已在磁盘上，但与发布的文件不符</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>on disk, not verified yet</source>
        <translation>已在磁盘上，尚未校验</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>on disk, not verifiable: no published full digest</source>
        <translation>已在磁盘上，无法校验：发布者未公布完整摘要</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>partly downloaded (resumes)</source>
        <translation>已部分下载（可续传）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not downloaded</source>
        <translation>未下载</translation>
    </message>
    <message>
        <location filename="../ui/state/session_controller.cpp" line="+32"/>
        <source>featscale sessions (*.featscale.json *.featscale *.json);;All files (*)</source>
        <translation>featscale 会话 (*.featscale.json *.featscale *.json);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>RunEntry</name>
    <message>
        <location filename="../ui/runs/run_entry.cpp" line="+21"/>
        <source>weights&apos; gamma or 20</source>
        <translation>权重自带的 gamma 或 20</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Run folder (read-only): %1</source>
        <translation>运行文件夹（只读）：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Computed here from the model settings over %n image(s)</source>
        <translation>
            <numerusform>在本窗口中按模型设置对 %n 张图像计算</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+11"/>
        <source>Weights: %1</source>
        <translation>权重：%1</translation>
    </message>
    <message>
        <location line="-11"/>
        <source>default (UNTRAINED)</source>
        <translation>默认（未训练）</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>Size: %1, eps: %2</source>
        <translation>尺寸：%1，eps：%2</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>the weights&apos; family&apos;s</source>
        <translation>权重所属系列的默认值</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>UNTRAINED</source>
        <translation>未训练</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Topology: %1, preset: %2</source>
        <translation>拓扑：%1，预处理：%2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>L2Norm: %1</source>
        <translation>L2Norm：%1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images: %1 analysed, %2 failed</source>
        <translation>图像：已分析 %1 张，失败 %2 张</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Merged from %n run(s)</source>
        <translation>
            <numerusform>由 %n 个运行合并</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>featscale</name>
    <message>
        <location filename="../ui/state/image_loading.cpp" line="+29"/>
        <source>Images: %1 (%2);;All files (*)</source>
        <translation>图像：%1 (%2);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1: no such file or folder</source>
        <translation>%1：文件或文件夹不存在</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1: folder is not readable</source>
        <translation>%1：文件夹不可读</translation>
    </message>
    <message>
        <location filename="../ui/panels/photo_export.cpp" line="+56"/>
        <source>%1: no photo is shown yet</source>
        <translation>%1：尚未显示照片</translation>
    </message>
    <message>
        <location line="+5"/>
        <location filename="../ui/plots/plot_export.cpp" line="+35"/>
        <source>%1: PNG encoding failed</source>
        <translation>%1：PNG 编码失败</translation>
    </message>
    <message>
        <location filename="../ui/plots/plot_export.cpp" line="+19"/>
        <source>featscale plot</source>
        <translation>featscale 图表</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: cannot start the SVG painter</source>
        <translation>%1：无法启动 SVG 绘制器</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1: cannot create a temporary file for the PDF: %2</source>
        <translation>%1：无法为 PDF 创建临时文件：%2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: PDF export failed</source>
        <translation>%1：PDF 导出失败</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: cannot read back the rendered PDF: %2</source>
        <translation>%1：无法读回已渲染的 PDF：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1: PDF export failed (the rendered document is incomplete; is %2 full?)</source>
        <translation>%1：PDF 导出失败（渲染出的文档不完整；%2 是否已满？）</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>%1: no plot to export</source>
        <translation>%1：没有可导出的图表</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1: unknown plot format &quot;%2&quot; (use .png, .svg or .pdf)</source>
        <translation>%1：未知的图表格式“%2”（请使用 .png、.svg 或 .pdf）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>PNG image (*.png);;SVG vector graphics (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../ui/plots/plot_style.cpp" line="+33"/>
        <source>L2 norm over channels (activation units)</source>
        <translation>通道维 L2 范数（激活值单位）</translation>
    </message>
    <message>
        <location filename="../ui/state/session.cpp" line="+30"/>
        <source>missing field &quot;%1&quot;</source>
        <translation>缺少字段“%1”</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>field &quot;%1&quot; has the wrong type</source>
        <translation>字段“%1”的类型错误</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&quot;%1&quot; must hold strings</source>
        <translation>“%1”中只能是字符串</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>not a valid session file (JSON error at byte %1: %2)</source>
        <translation>不是有效的会话文件（第 %1 字节处 JSON 错误：%2）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not a session file (expected a JSON object)</source>
        <translation>不是会话文件（应为 JSON 对象）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>not a featscale session file</source>
        <translation>不是 featscale 会话文件</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>written by a newer featscale (session version %1, this one reads up to %2)</source>
        <translation>由更新版本的 featscale 写入（会话版本 %1，本版本最高只能读取 %2）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>invalid session version %1</source>
        <translation>无效的会话版本 %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;images&quot; must hold file paths</source>
        <translation>“images”中只能是文件路径</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&quot;current&quot; is out of range</source>
        <translation>“current”超出范围</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>field &quot;preset&quot; has the wrong type</source>
        <translation>字段“preset”的类型错误</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>field &quot;layersAll&quot; has the wrong type</source>
        <translation>字段“layersAll”的类型错误</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>field &quot;l2normLayers&quot; has the wrong type</source>
        <translation>字段“l2normLayers”的类型错误</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>field &quot;eps&quot; has the wrong type</source>
        <translation>字段“eps”的类型错误</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>gamma of %1 must be an array</source>
        <translation>%1 的 gamma 必须是数组</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>gamma of %1 holds a non-numeric value</source>
        <translation>%1 的 gamma 含有非数值</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&quot;pin&quot; must be two numbers</source>
        <translation>“pin”必须是两个数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>field &quot;pin&quot; has the wrong type</source>
        <translation>字段“pin”的类型错误</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>the limit for a session file</source>
        <translation>会话文件的上限</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>give a session file (*.featscale.json)</source>
        <translation>请给出会话文件（*.featscale.json）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: %2 bytes, too large for a session file (at most %3)</source>
        <translation>%1：%2 字节，作为会话文件过大（最多 %3）</translation>
    </message>
    <message>
        <location filename="../ui/state/weights_discovery.cpp" line="+30"/>
        <source> — opened before</source>
        <translation> — 曾打开过</translation>
    </message>
    <message>
        <location filename="../ui/state/image_commands.cpp" line="+18"/>
        <source>Clear the image list</source>
        <translation>清空图像列表</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Remove %n image(s)</source>
        <translation>
            <numerusform>移除 %n 张图像</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>featscale::ui::AnnotationOverlay</name>
    <message>
        <location filename="../ui/panels/annotation_overlay.cpp" line="+56"/>
        <source>Boxes</source>
        <translation>标注框</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draw the loaded annotations&apos; object boxes; hover a box for its class and size</source>
        <translation>绘制已加载标注的目标框；悬停在框上可查看类别和尺寸</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prior grid</source>
        <translation>先验框网格</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1
%2 × %3 px, COCO size %4</source>
        <translation>%1
%2 × %3 像素，COCO 尺寸 %4</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>This topology has no prior boxes (a classifier)</source>
        <translation>此拓扑没有先验框（分类网络）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 feeds no priors in %2</source>
        <translation>在 %2 中 %1 不产生先验框</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prior-box centres of %1 in %2: %3×%3 at step %4 (%5)</source>
        <translation>%2 中 %1 的先验框中心：%3×%3，步长 %4（%5）</translation>
    </message>
</context>
<context>
    <name>featscale::ui::AnnotationStore</name>
    <message>
        <location filename="../ui/state/annotation_store.cpp" line="+45"/>
        <source>Could not read the annotations %1</source>
        <translation>无法读取标注 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>… and %n more problem(s)</source>
        <translation>
            <numerusform>… 以及另外 %n 个问题</numerusform>
        </translation>
    </message>
    <message>
        <location line="+26"/>
        <source>%1: no annotation</source>
        <translation>%1：没有标注</translation>
    </message>
</context>
<context>
    <name>featscale::ui::AppModel</name>
    <message>
        <location filename="../ui/state/app_model.cpp" line="+697"/>
        <source>Cannot aggregate %1: %2</source>
        <translation>无法汇总 %1：%2</translation>
    </message>
</context>
<context>
    <name>featscale::ui::BatchController</name>
    <message>
        <location filename="../ui/jobs/batch_controller.cpp" line="+18"/>
        <source>the default weights</source>
        <translation>默认权重</translation>
    </message>
    <message>
        <location line="+84"/>
        <location line="+85"/>
        <location line="+89"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="-131"/>
        <source>Loading %1 was cancelled; still using %2.</source>
        <translation>已取消加载 %1；仍在使用 %2。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The weights %1 could not be loaded; still using %2.</source>
        <translation>无法加载权重 %1；仍在使用 %2。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no weights</source>
        <translation>无权重</translation>
    </message>
</context>
<context>
    <name>featscale::ui::BatchStatus</name>
    <message>
        <location filename="../ui/jobs/batch_status.cpp" line="+36"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the run after the current layer (Esc)</source>
        <translation>在当前层完成后停止运行（Esc）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time of the last forward pass through the network</source>
        <translation>最近一次网络前向传播所用时间</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>loading weights: %1…</source>
        <translation>正在加载权重：%1…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the default weights</source>
        <translation>默认权重</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no weights loaded</source>
        <translation>未加载权重</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>loading weights…</source>
        <translation>正在加载权重…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 / %2 images</source>
        <translation>%1 / %2 张图像</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> · ETA %1</source>
        <translation> · 预计剩余 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> · cancelled</source>
        <translation> · 已取消</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>idle</source>
        <translation>空闲</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no images</source>
        <translation>没有图像</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>forward %1 ms</source>
        <translation>前向 %1 ms</translation>
    </message>
</context>
<context>
    <name>featscale::ui::BatchWorker</name>
    <message>
        <location filename="../ui/jobs/batch_worker.cpp" line="+77"/>
        <source>no engine: the weights could not be loaded</source>
        <translation>没有引擎：无法加载权重</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: out of memory while analysing</source>
        <translation>%1：分析时内存不足</translation>
    </message>
</context>
<context>
    <name>featscale::ui::ComparePanel</name>
    <message>
        <location filename="../ui/runs/compare_figures.cpp" line="+46"/>
        <source>No run is shown: add runs in the Runs panel (Add from settings, or open a run folder written by featscale-cli).</source>
        <translation>没有显示任何运行：请在“运行”面板中添加（按当前设置添加，或打开 featscale-cli 写出的运行文件夹）。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>No run is shown: add runs in the Runs panel.</source>
        <translation>没有显示任何运行：请在“运行”面板中添加。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The shown runs have no layer.</source>
        <translation>所显示的运行没有任何层。</translation>
    </message>
    <message>
        <location filename="../ui/runs/compare_panel.cpp" line="+154"/>
        <source>Reference:</source>
        <translation>参照：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The run whose medians the ratio table divides by</source>
        <translation>比值表以该运行的中位数为分母</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Comparison CSV…</source>
        <translation>比较 CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All figures…</source>
        <translation>全部图表…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Norm maps of the current image…</source>
        <translation>当前图像的范数图…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Norm maps of all images…</source>
        <translation>所有图像的范数图…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scales</source>
        <translation>尺度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ratios</source>
        <translation>比值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layer scales: one box per run and layer</source>
        <translation>各层尺度：每个运行、每层一个箱线</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ParseNet concat of each run at the pinned pixel</source>
        <translation>各运行在固定像素处的 ParseNet 拼接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A run&apos;s norm map over the current image</source>
        <translation>某个运行在当前图像上的范数图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Histograms</source>
        <translation>直方图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Concat</source>
        <translation>拼接</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+5"/>
        <source>before L2Norm</source>
        <translation>L2Norm 之前</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+5"/>
        <source>after L2Norm</source>
        <translation>L2Norm 之后</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>before and after</source>
        <translation>之前和之后</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Runs at one layer</source>
        <translation>同一层的各运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers of one run</source>
        <translation>同一运行的各层</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Each cell: the run&apos;s median over all its images and its ratio to the reference run&apos;s median. ≈: read from merged histograms (bin-width accuracy). Hidden runs are left out.</source>
        <translation>每个单元格：该运行在其全部图像上的中位数，以及它与参照运行中位数之比。≈：由合并后的直方图读出（精度为分箱宽度）。隐藏的运行不参与比较。</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Export the comparison into a folder</source>
        <translation>将比较结果导出到文件夹</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export every figure into a folder</source>
        <translation>将所有图表导出到文件夹</translation>
    </message>
</context>
<context>
    <name>featscale::ui::ComparisonExport</name>
    <message>
        <location filename="../ui/runs/comparison_export.cpp" line="+56"/>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Nothing to export: no run is ready and shown.</source>
        <translation>没有可导出的内容：没有已就绪且显示的运行。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Comparison not exported: %1</source>
        <translation>比较结果未导出：%1</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>%1: cannot be written (%2)</source>
        <translation>%1：无法写入（%2）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Norm maps are being exported already.</source>
        <translation>范数图正在导出中。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>No norm maps to export: no image is analysed yet.</source>
        <translation>没有可导出的范数图：尚未分析任何图像。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No norm maps to export: the current image is not analysed yet.</source>
        <translation>没有可导出的范数图：当前图像尚未分析。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Norm-map export cancelled; %1 is unchanged.</source>
        <translation>范数图导出已取消；%1 未被改动。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Writing norm maps…</source>
        <translation>正在写入范数图…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Export norm maps</source>
        <translation>导出范数图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>numpy archive (*.npz)</source>
        <translation>numpy 归档 (*.npz)</translation>
    </message>
</context>
<context>
    <name>featscale::ui::ConcatPanel</name>
    <message>
        <location filename="../ui/plots/concat_panel.cpp" line="+231"/>
        <source>before L2Norm: x (activation units)</source>
        <translation>L2Norm 之前：x（激活值单位）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>after L2Norm: γ · x/‖x‖ (activation units)</source>
        <translation>L2Norm 之后：γ · x/‖x‖（激活值单位）</translation>
    </message>
    <message>
        <location line="-48"/>
        <source>No analysed image selected yet.</source>
        <translation>尚未选中已分析的图像。</translation>
    </message>
    <message>
        <location line="-85"/>
        <source>Same y axis for both rows</source>
        <translation>两行使用相同的 y 轴</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Before and after L2Norm on one scale: how much normalization shrinks the vector</source>
        <translation>L2Norm 之前和之后使用同一刻度：可看出归一化使向量缩小了多少</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log y</source>
        <translation>对数 y 轴</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logarithmic activation axes; zero activations are left out</source>
        <translation>激活值使用对数坐标轴；值为零的激活不显示</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 channel %2 (concatenation index %3)
%4 = %5</source>
        <translation>%1 通道 %2（拼接索引 %3）
%4 = %5</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>after L2Norm γ · x/‖x‖</source>
        <translation>L2Norm 之后 γ · x/‖x‖</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>before L2Norm x</source>
        <translation>L2Norm 之前 x</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Click the image to pin a location: this view shows the concatenated feature vector there.</source>
        <translation>在图像上单击以固定一个位置：此视图显示该处拼接后的特征向量。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Recomputing the features of this image…</source>
        <translation>正在重新计算此图像的特征…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The pinned location lies outside the image.</source>
        <translation>固定的位置在图像之外。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Activations of %1 are not cached for this image; re-run it to see the concatenation.</source>
        <translation>此图像未缓存 %1 的激活值；请重新运行以查看拼接结果。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>ParseNet concat at the pin</source>
        <translation>固定位置处的 ParseNet 拼接</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> — pixel (%1, %2)</source>
        <translation> — 像素 (%1, %2)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> of %1</source>
        <translation>，%1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>channel index in the concatenation %1</source>
        <translation>拼接 %1 中的通道索引</translation>
    </message>
    <message>
        <location line="+83"/>
        <source>%1
%2 ch
cell (%3, %4)
</source>
        <translation>%1
%2 通道
单元 (%3, %4)
</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>‖x‖ = %1</source>
        <translation>‖x‖ = %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>‖γ·x̂‖ = %1</source>
        <translation>‖γ·x̂‖ = %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no L2Norm, ‖x‖ = %1</source>
        <translation>无 L2Norm，‖x‖ = %1</translation>
    </message>
</context>
<context>
    <name>featscale::ui::ExportActions</name>
    <message>
        <location filename="../ui/window/export_actions.cpp" line="+29"/>
        <source>Nothing to export yet: the network is still loading.</source>
        <translation>暂无可导出内容：网络仍在加载。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nothing to export yet: no analysed images.</source>
        <translation>暂无可导出内容：没有已分析的图像。</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n image(s) exported without after-L2Norm statistics: their features were dropped from memory before the last gamma change (Re-run to include them).</source>
        <translation>
            <numerusform>%n 张图像导出时不含 L2Norm 之后的统计：它们的特征在最近一次 γ 更改之前已从内存中释放（重新运行即可包含）。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Exported histograms and summaries to %1</source>
        <translation>已将直方图和汇总导出到 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Export histograms and summaries of all images into folder</source>
        <translation>将所有图像的直方图和汇总导出到文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export histograms and summaries of the current image into folder</source>
        <translation>将当前图像的直方图和汇总导出到文件夹</translation>
    </message>
    <message>
        <location line="+13"/>
        <source> (hidden tab)</source>
        <translation>（隐藏的标签页）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>no plots</source>
        <translation>没有图表</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Plot export failed: %1</source>
        <translation>图表导出失败：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved plot to %1</source>
        <translation>图表已保存到 %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Export plot</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>No plot is visible to export.</source>
        <translation>没有可见的图表可导出。</translation>
    </message>
</context>
<context>
    <name>featscale::ui::FigureExport</name>
    <message>
        <location filename="../ui/figures/figure_export.cpp" line="+64"/>
        <source>%1: PNG rendering failed</source>
        <translation>%1：PNG 渲染失败</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>%1: PNG encoding failed</source>
        <translation>%1：PNG 编码失败</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>featscale figure</source>
        <translation>featscale 图</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: cannot start the SVG painter</source>
        <translation>%1：无法启动 SVG 绘制器</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>%1: the PDF page size is not accepted</source>
        <translation>%1：PDF 页面尺寸不被接受</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: cannot start the PDF painter</source>
        <translation>%1：无法启动 PDF 绘制器</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: PDF rendering failed</source>
        <translation>%1：PDF 渲染失败</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>%1: the figure size must be positive</source>
        <translation>%1：图的尺寸必须为正</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: unknown figure format &quot;%2&quot; (use .svg, .pdf or .png)</source>
        <translation>%1：未知的图格式“%2”（请使用 .svg、.pdf 或 .png）</translation>
    </message>
</context>
<context>
    <name>featscale::ui::GammaFitWidget</name>
    <message>
        <location filename="../ui/panels/gamma_fit_widget.cpp" line="+153"/>
        <source>Fit γ</source>
        <translation>拟合 γ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>current image</source>
        <translation>当前图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all images with cached features</source>
        <translation>所有已缓存特征的图像</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adam step size in γ units; auto sizes it from the distance to the target</source>
        <translation>Adam 步长（以 γ 为单位）；“自动”根据与目标的距离确定步长</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Adam on the cached normalized features (no network re-run): loss = (log median after-norm − log target median)²</source>
        <translation>在缓存的归一化特征上运行 Adam（无需重新运行网络）：损失 = (log 归一化后中位数 − log 目标中位数)²</translation>
    </message>
    <message>
        <location line="-39"/>
        <source>γ of %1 changed after the fit; Edit → Undo steps back through every change.</source>
        <translation>拟合之后 %1 的 γ 又被更改；编辑 → 撤销可逐步退回每一次更改。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Fit γ to a target norm</source>
        <translation>拟合 γ 到目标范数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adam on the cached normalized features (no network re-run) until the median after-norm of the normalized layer matches the target layer&apos;s median norm</source>
        <translation>在缓存的归一化特征上运行 Adam（无需重新运行网络），直到归一化层在 L2Norm 之后的范数中位数与目标层的范数中位数一致</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>target:</source>
        <translation>目标：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The layer whose median norm the normalized layer&apos;s median after-norm should match</source>
        <translation>其范数中位数应被归一化层 L2Norm 之后的范数中位数匹配的层</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>over:</source>
        <translation>范围：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only images whose normalized features are still cached take part; the status line says how many that was</source>
        <translation>只有归一化特征仍在缓存中的图像参与拟合；状态行会说明实际用了多少张</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>method:</source>
        <translation>方法：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>uniform γ (closed form)</source>
        <translation>统一 γ（闭式解）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>per-channel γ (Adam)</source>
        <translation>逐通道 γ（Adam）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Uniform: one γ for every channel, γ = target / median ‖x̂‖, exact and unique. Per channel: Adam moves each channel&apos;s γ; one median does not determine hundreds of values, so the result is one of many and looks noisy</source>
        <translation>统一：所有通道共用一个 γ，γ = 目标 / ‖x̂‖ 的中位数，精确且唯一。逐通道：Adam 调整每个通道的 γ；一个中位数无法确定数百个值，因此结果只是众多解之一，看起来杂乱</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>steps:</source>
        <translation>步数：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lr:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>early stop</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>End the fit once the loss has not improved for %1 steps</source>
        <translation>损失连续 %1 步没有改善时结束拟合</translation>
    </message>
    <message>
        <location line="+125"/>
        <source>Fitting γ of %1 to the median of %2 (%3) over %4…</source>
        <translation>正在基于 %4 将 %1 的 γ 拟合到 %2 的中位数（%3）…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>γ of %1 already meets the target: median after-norm %2, target %3 = %4; γ unchanged.</source>
        <translation>%1 的 γ 已满足目标：L2Norm 后范数中位数 %2，目标 %3 = %4；γ 未改变。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Fit uniform γ of %1 to %2</source>
        <translation>将 %1 的统一 γ 拟合到 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit per-channel γ of %1 to %2</source>
        <translation>将 %1 的逐通道 γ 拟合到 %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>uniform γ = %1 for every channel (closed form)</source>
        <translation>所有通道统一 γ = %1（闭式解）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>per-channel γ, target reached after %1 of %2 steps</source>
        <translation>逐通道 γ，在 %2 步中的第 %1 步达到目标</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>per-channel γ, stopped after %1 of %2 steps: the loss stopped improving (best at step %3)</source>
        <translation>逐通道 γ，在 %2 步中的第 %1 步停止：损失不再改善（最佳在第 %3 步）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>per-channel γ, %1 steps, best at step %2</source>
        <translation>逐通道 γ，%1 步，最佳在第 %2 步</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fitted %1: median after-norm of %2 = %3 (target %4 = %5; was %6) over %7 locations of %8. Keep or revert?</source>
        <translation>已拟合 %1：%2 的 L2Norm 后范数中位数 = %3（目标 %4 = %5；原为 %6），基于 %8 的 %7 个位置。保留还是还原？</translation>
    </message>
    <message numerus="yes">
        <location line="+11"/>
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n 张图像</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 of %2 analysed images (the others&apos; features are no longer cached; select an image to cache it again)</source>
        <translation>已分析的 %2 张图像中的 %1 张（其余图像的特征已不在缓存中；选中一张图像即可重新缓存）</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Kept the fitted γ of %1 (Edit → Undo takes it back).</source>
        <translation>已保留 %1 拟合得到的 γ（编辑 → 撤销可撤回）。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Revert the fit of %1</source>
        <translation>还原 %1 的拟合</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Fit γ: loss = (log median − log target)² per Adam step</source>
        <translation>拟合 γ：每个 Adam 步的损失 = (log 中位数 − log 目标)²</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Adam step</source>
        <translation>Adam 步</translation>
    </message>
    <message>
        <location line="-304"/>
        <source>Fit failed: %1</source>
        <translation>拟合失败：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit cancelled; γ unchanged.</source>
        <translation>拟合已取消；γ 未改变。</translation>
    </message>
    <message>
        <location line="+118"/>
        <source>Fit γ: choose a normalized layer and a target layer first.</source>
        <translation>拟合 γ：请先选择一个归一化层和一个目标层。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Fit γ: no analysed image with cached features yet.</source>
        <translation>拟合 γ：尚无已分析且缓存了特征的图像。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Fit γ: %1</source>
        <translation>拟合 γ：%1</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Step %1 / %2 · loss %3</source>
        <translation>第 %1 / %2 步 · 损失 %3</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Fit finished but %1 changed meanwhile; result not applied.</source>
        <translation>拟合已完成，但 %1 在此期间已改变；结果未应用。</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Reverted to the γ before the fit.</source>
        <translation>已还原为拟合前的 γ。</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+2"/>
        <source>loss</source>
        <translation>损失</translation>
    </message>
</context>
<context>
    <name>featscale::ui::GammaPanel</name>
    <message>
        <location filename="../ui/panels/gamma_panel.cpp" line="+262"/>
        <source>Apply and re-run</source>
        <translation>应用并重新运行</translation>
    </message>
    <message>
        <location line="-36"/>
        <source>γ files (*.csv *.txt *.pth *.pt *.t7 *.caffemodel *.onnx *.h5);;All files (*)</source>
        <translation>γ 文件 (*.csv *.txt *.pth *.pt *.t7 *.caffemodel *.onnx *.h5);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Layers that get L2Norm: x / ‖x‖ over channels, then times γ per channel</source>
        <translation>施加 L2Norm 的层：沿通道计算 x / ‖x‖，再逐通道乘以 γ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers:</source>
        <translation>层：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>eps mode:</source>
        <translation>eps 模式：</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Sets every channel&apos;s γ (log scale 0.01 … 1000)</source>
        <translation>设置所有通道的 γ（对数刻度 0.01 … 1000）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set all</source>
        <translation>全部设为</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set every channel to the value in the box</source>
        <translation>将所有通道设为框中的值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Scale</source>
        <translation>缩放</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Multiply every channel&apos;s γ by the factor</source>
        <translation>将所有通道的 γ 乘以该系数</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Load γ…</source>
        <translation>加载 γ…</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>Layer:</source>
        <translation>层：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>global γ:</source>
        <translation>全局 γ：</translation>
    </message>
    <message>
        <location line="+261"/>
        <source>γ (activation units)</source>
        <translation>γ（激活值单位）</translation>
    </message>
    <message>
        <location line="-302"/>
        <source>Load learned γ</source>
        <translation>加载学到的 γ</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>Set all γ of %1 to %2</source>
        <translation>将 %1 的全部 γ 设为 %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Scale γ of %1 by %2</source>
        <translation>将 %1 的 γ 乘以 %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reset γ of %1 to the learned values</source>
        <translation>将 %1 的 γ 重置为学到的值</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reset γ of %1 to the initial %2</source>
        <translation>将 %1 的 γ 重置为初始值 %2</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Save γ of every normalized layer</source>
        <translation>保存每个归一化层的 γ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>L2Norm layers (re-run)</source>
        <translation>L2Norm 层（需重新运行）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Which layers get L2Norm and its eps mode; changes re-run the network</source>
        <translation>哪些层使用 L2Norm 及其 eps 模式；更改后需重新运行网络</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>γ after L2Norm (no re-run)</source>
        <translation>L2Norm 之后的 γ（无需重新运行）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>γ: per-channel scale after L2Norm; changes need no re-run</source>
        <translation>γ：L2Norm 之后的逐通道缩放；更改无需重新运行</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Reset to learned</source>
        <translation>重置为学到的值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>channel:</source>
        <translation>通道：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Channel whose γ the box beside edits; click a bar in the plot to pick one</source>
        <translation>旁边的数值框所编辑的通道；点击图中的柱条可选取通道</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>γ of that channel</source>
        <translation>该通道的 γ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set channel</source>
        <translation>设置通道</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Give only this channel the value in the box</source>
        <translation>只把数值框中的值赋给这个通道</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Learned γ from a checkpoint (L2Norm.weight), a Lua Torch .t7 tensor, a channel,gamma CSV or a list of numbers (for the layer above), or a layer,channel,gamma CSV (for every layer it names)</source>
        <translation>从检查点（L2Norm.weight）、Lua Torch .t7 张量、channel,gamma CSV 或数字列表载入学到的 γ（用于上面选定的层），或从 layer,channel,gamma CSV 载入（用于其中列出的每个层）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save γ…</source>
        <translation>保存 γ…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every normalized layer&apos;s γ as a layer,channel,gamma CSV (featscale-cli analyze --gamma-file reads it)</source>
        <translation>将每个归一化层的 γ 保存为 layer,channel,gamma CSV（featscale-cli analyze --gamma-file 可读取）</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Set γ of %1 to %2</source>
        <translation>将 %1 的 γ 设为 %2</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Set γ of %1 channel %2 to %3</source>
        <translation>将 %1 第 %2 通道的 γ 设为 %3</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Normalized: %1</source>
        <translation>已归一化：%1</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>The γ the weight file learned for %1</source>
        <translation>权重文件为 %1 学到的 γ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The weights carry no learned γ for %1</source>
        <translation>权重中没有为 %1 学到的 γ</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reset to init (%1)</source>
        <translation>重置为初始值（%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The network family&apos;s initial γ for %1: %2 for every channel</source>
        <translation>该网络家族为 %1 设定的初始 γ：每个通道均为 %2</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>all %1 channels: γ = %2</source>
        <translation>全部 %1 个通道：γ = %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 channels: γ %2 … %3 (median %4)</source>
        <translation>%1 个通道：γ %2 … %3（中位数 %4）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No normalized layer: tick one under L2Norm and re-run.</source>
        <translation>没有归一化层：请在 L2Norm 中勾选一层并重新运行。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Per-channel γ of %1</source>
        <translation>%1 的逐通道 γ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>channel of %1</source>
        <translation>%1 的通道</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>current γ</source>
        <translation>当前 γ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>fitted γ (keep or revert below)</source>
        <translation>拟合得到的 γ（在下方选择保留或还原）</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>channel %1: γ = %2</source>
        <translation>通道 %1：γ = %2</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>γ before the fit</source>
        <translation>拟合前的 γ</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>%1: no normalized layer to apply γ to</source>
        <translation>%1：没有可应用 γ 的归一化层</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+50"/>
        <source>Load γ of %1 from %2</source>
        <translation>从 %2 载入 %1 的 γ</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>%1: has %2 γ values but %3 has %4 channels</source>
        <translation>%1：含有 %2 个 γ 值，但 %3 有 %4 个通道</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+47"/>
        <source>Loaded γ of %1 from %2</source>
        <translation>已从 %2 加载 %1 的 γ</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>%1 is not a normalized layer here</source>
        <translation>%1 在此不是归一化层</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 has %2 channels, the file %3</source>
        <translation>%1 有 %2 个通道，文件中为 %3 个</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: γ not loaded: %2</source>
        <translation>%1：未载入 γ：%2</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Load γ of %1</source>
        <translation>载入 %1 的 γ</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No normalized layer: no γ to save.</source>
        <translation>没有归一化层：没有可保存的 γ。</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>Saved γ of %n layer(s) to %1</source>
        <translation>
            <numerusform>已将 %n 个层的 γ 保存到 %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>featscale::ui::HelpDialog</name>
    <message>
        <location filename="../ui/panels/help_dialog.cpp" line="+26"/>
        <source>featscale — the ParseNet argument</source>
        <translation>featscale — ParseNet 的论点</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>&lt;h2&gt;Why feature scale matters&lt;/h2&gt;
&lt;p&gt;At every spatial location, a convolutional layer produces a vector with one value per channel.
Its &lt;b&gt;L2 norm over the channels&lt;/b&gt;, ‖x‖₂, is the location&apos;s &lt;i&gt;feature scale&lt;/i&gt;. In VGG16 this scale
differs by orders of magnitude between layers: an early layer such as &lt;b&gt;conv4_3&lt;/b&gt; has many locations
with large activations, while deep layers such as &lt;b&gt;conv5_3&lt;/b&gt; and &lt;b&gt;fc7&lt;/b&gt; are much smaller.&lt;/p&gt;
&lt;p&gt;&lt;b&gt;ParseNet&lt;/b&gt; (Liu, Rabinovich &amp;amp; Berg, 2015) observed that when features of several layers are
concatenated — or, as in &lt;b&gt;SSD&lt;/b&gt;, when several layers feed detection heads — the layer with the largest
scale dominates and the others barely contribute; training becomes unstable. Their remedy is
&lt;b&gt;L2Norm&lt;/b&gt;: divide each location&apos;s vector by its norm, x̂ = x / ‖x‖₂, and multiply by a learnable
per-channel scale &lt;b&gt;gamma&lt;/b&gt; (SSD initialises it to 20). After L2Norm the norm at every location is
‖gamma ⊙ x̂‖₂ — exactly 20 for a uniform gamma of 20, whatever the input was.&lt;/p&gt;
&lt;p&gt;&lt;b&gt;Untrained weights.&lt;/b&gt; Without a trained weight file featscale uses seeded random weights and
labels every view and export &lt;b&gt;UNTRAINED&lt;/b&gt;: the spread of scales is a property of trained networks,
so open real VGG16 weights (Model panel → Open weights…) to see the effect the papers describe.&lt;/p&gt;

&lt;h2&gt;What each view shows&lt;/h2&gt;
&lt;ul&gt;
&lt;li&gt;&lt;b&gt;Images&lt;/b&gt; — the images to analyse, with their state (queued, analysing, done, failed and why).
Drop files or folders onto the list. Page Up / Page Down switch images.&lt;/li&gt;
&lt;li&gt;&lt;b&gt;Image view&lt;/b&gt; — the photo with the selected layer&apos;s per-location norm as a colour overlay. Each
coloured square is one cell of that layer (its stride in input pixels). The colour bar gives the norm
(log scale by default); &lt;i&gt;after L2Norm&lt;/i&gt; shows the normalized norms with the current gamma. Hover to
read the norm of every layer at that point; click to pin a location (used by the concat view); scroll to
zoom, drag to pan.&lt;/li&gt;
&lt;li&gt;&lt;b&gt;Layer scales&lt;/b&gt; — one box per layer in network order: the box spans the 25–75 % percentiles of
the per-location norms, whiskers 5–95 %, the line is the median, on a log axis. Before and after L2Norm,
for the current image or all images. The ratio of medians of two chosen layers (&quot;conv4_3 / fc7 = 37×&quot;)
is the ParseNet argument in one number.&lt;/li&gt;
&lt;li&gt;&lt;b&gt;Histograms&lt;/b&gt; — the distributions of the per-location norms of the ticked layers, overlaid.
It opens on &lt;i&gt;before | after L2Norm&lt;/i&gt;: conv4_3 and fc7 in two plots on one x axis, so the change of
scale that L2Norm makes is seen at once; &lt;i&gt;before&lt;/i&gt; or &lt;i&gt;after&lt;/i&gt; alone are in the stage menu.
Click a bin to highlight those locations on the photo.&lt;/li&gt;
&lt;li&gt;&lt;b&gt;ParseNet concat&lt;/b&gt; — the feature vector at the pinned location, conv4_3 ‖ conv5_3 ‖ fc7 side
by side (x: channel index across the concatenation), before and after L2Norm: before, one layer&apos;s
activations dwarf the others; after, each layer contributes on a comparable scale.&lt;/li&gt;
&lt;li&gt;&lt;b&gt;Gamma&lt;/b&gt; — which layers get L2Norm (any number at once, each with its own gamma) and the eps
rule; for the layer chosen in &lt;i&gt;Layer&lt;/i&gt;: a global gamma, set all, scale, one channel&apos;s value (click a
bar to pick it), reset to the learned gamma of the weights or to the family&apos;s initial gamma, load a
gamma file. &lt;i&gt;Fit gamma&lt;/i&gt; makes the normalized layer&apos;s median norm match a target layer&apos;s, on the
cached normalized features (no network re-run): one uniform gamma in closed form, or a gamma per channel
with Adam (stops early when the loss stops improving; one median does not determine hundreds of
channels, so that answer is one of many). Every gamma change updates the after-views at once and is
one step of &lt;i&gt;Edit → Undo&lt;/i&gt; (Ctrl+Z) / &lt;i&gt;Redo&lt;/i&gt; (Ctrl+Shift+Z); a slider drag is one step. The
mouse wheel changes the slider or a box only after you click it.&lt;/li&gt;
&lt;li&gt;&lt;b&gt;Model&lt;/b&gt; — the weights in use (name, format, family, sha256), the topology, the input
convention and size, the analysed layers; Re-run (F5) applies changes.&lt;/li&gt;
&lt;/ul&gt;
&lt;h2&gt;Exports&lt;/h2&gt;
&lt;p&gt;File → Export writes histograms and summaries with the engine&apos;s exact bin edges (the same files as
&lt;code&gt;featscale-cli analyze&lt;/code&gt;), and any plot as PNG, SVG or PDF. Sessions (File → Save session)
keep images, weights, settings, gamma and view state.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;为什么特征尺度很重要&lt;/h2&gt;
&lt;p&gt;在每个空间位置上，卷积层都会输出一个向量，每个通道一个值。该向量&lt;b&gt;沿通道的 L2 范数&lt;/b&gt; ‖x‖₂ 就是该位置的&lt;i&gt;特征尺度&lt;/i&gt;。在 VGG16 中，不同层的这一尺度相差几个数量级：较浅的层（如 &lt;b&gt;conv4_3&lt;/b&gt;）有许多激活值很大的位置，而较深的层（如 &lt;b&gt;conv5_3&lt;/b&gt; 和 &lt;b&gt;fc7&lt;/b&gt;）则小得多。&lt;/p&gt;
&lt;p&gt;&lt;b&gt;ParseNet&lt;/b&gt;（Liu, Rabinovich &amp;amp; Berg, 2015）观察到：当多个层的特征被拼接在一起时——或者像 &lt;b&gt;SSD&lt;/b&gt; 那样由多个层分别接入检测头时——尺度最大的层占据主导，其他层几乎不起作用，训练也会变得不稳定。他们的解决办法是 &lt;b&gt;L2Norm&lt;/b&gt;：将每个位置的向量除以其范数，x̂ = x / ‖x‖₂，再乘以一个可学习的逐通道缩放因子 &lt;b&gt;γ&lt;/b&gt;（SSD 将其初始化为 20）。经过 L2Norm 之后，每个位置的范数为 ‖γ ⊙ x̂‖₂——当 γ 统一为 20 时恰好等于 20，与输入无关。&lt;/p&gt;
&lt;p&gt;&lt;b&gt;未训练的权重。&lt;/b&gt;没有训练好的权重文件时，featscale 使用带种子的随机权重，并在每个视图和每份导出中标注&lt;b&gt;未训练（UNTRAINED）&lt;/b&gt;：尺度的悬殊是训练好的网络才有的性质，因此请打开真正的 VGG16 权重（模型面板 → 打开权重…），才能看到论文所描述的现象。&lt;/p&gt;
&lt;h2&gt;各视图显示的内容&lt;/h2&gt;
&lt;ul&gt;
&lt;li&gt;&lt;b&gt;图像&lt;/b&gt; — 待分析的图像及其状态（排队中、分析中、已完成、失败及其原因）。可将文件或文件夹拖放到列表上。Page Up / Page Down 切换图像。&lt;/li&gt;
&lt;li&gt;&lt;b&gt;图像视图&lt;/b&gt; — 照片上叠加所选层逐位置范数的彩色图层。每个彩色方块是该层的一个单元（边长为该层在输入像素中的步幅）。色条给出范数（默认为对数刻度）；&lt;i&gt;L2Norm 之后&lt;/i&gt;显示使用当前 γ 归一化后的范数。将鼠标悬停可读取该点处每一层的范数；单击可固定一个位置（供拼接视图使用）；滚动滚轮缩放，拖动平移。&lt;/li&gt;
&lt;li&gt;&lt;b&gt;层尺度&lt;/b&gt; — 按网络顺序每层一个箱线图：箱体覆盖逐位置范数的 25–75 % 百分位，须线为 5–95 %，中线为中位数，纵轴为对数刻度。可显示 L2Norm 之前和之后，针对当前图像或所有图像。所选两层的中位数之比（“conv4_3 / fc7 = 37×”）用一个数字概括了 ParseNet 的论点。&lt;/li&gt;
&lt;li&gt;&lt;b&gt;直方图&lt;/b&gt; — 所勾选各层逐位置范数的分布，叠加显示。默认打开&lt;i&gt;L2Norm 之前 | 之后&lt;/i&gt;：conv4_3 和 fc7 画在共用同一 x 轴的两张图中，L2Norm 带来的尺度变化一目了然；单独的&lt;i&gt;之前&lt;/i&gt;或&lt;i&gt;之后&lt;/i&gt;可在阶段菜单中选择。单击某个区间可在照片上高亮这些位置。&lt;/li&gt;
&lt;li&gt;&lt;b&gt;ParseNet 拼接&lt;/b&gt; — 固定位置处的特征向量，conv4_3 ‖ conv5_3 ‖ fc7 依次并排（x 轴：拼接后的通道索引），分别显示 L2Norm 之前和之后：之前，某一层的激活值远超其他层；之后，每一层的贡献处于可比的尺度。&lt;/li&gt;
&lt;li&gt;&lt;b&gt;γ&lt;/b&gt; — 哪些层施加 L2Norm（可同时多个层，每层有自己的 γ）以及 eps 规则；对&lt;i&gt;层&lt;/i&gt;中选定的层：全局 γ、全部设为、缩放、单个通道的值（点击柱条选取）、重置为权重学到的 γ 或该网络家族的初始 γ、载入 γ 文件。&lt;i&gt;拟合 γ&lt;/i&gt; 在缓存的归一化特征上（无需重新运行网络）使归一化层的范数中位数与目标层的一致：一种是闭式求解的统一 γ，另一种是用 Adam 逐通道拟合（损失不再下降时提前停止；一个中位数无法确定数百个通道，因此其结果只是众多解之一）。每次更改 γ 都会立即更新 L2Norm 之后的视图，并且是&lt;i&gt;编辑 → 撤销&lt;/i&gt;（Ctrl+Z）/&lt;i&gt;重做&lt;/i&gt;（Ctrl+Shift+Z）中的一步；拖动一次滑块算一步。只有点击滑块或数值框之后，鼠标滚轮才会改变它们。&lt;/li&gt;
&lt;li&gt;&lt;b&gt;模型&lt;/b&gt; — 当前使用的权重（名称、格式、来源、sha256）、网络结构、输入约定和尺寸、所分析的层；重新运行（F5）使更改生效。&lt;/li&gt;
&lt;/ul&gt;
&lt;h2&gt;导出&lt;/h2&gt;
&lt;p&gt;文件 → 导出会按照引擎的精确区间边界写出直方图和汇总（与 &lt;code&gt;featscale-cli analyze&lt;/code&gt; 生成的文件相同），也可将任意图表导出为 PNG、SVG 或 PDF。会话（文件 → 保存会话）会保存图像、权重、设置、γ 和视图状态。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>featscale::ui::HistogramPanel</name>
    <message>
        <location filename="../ui/plots/histogram_panel.cpp" line="+158"/>
        <source>log x</source>
        <translation>对数 x</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>linear x</source>
        <translation>线性 x</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>counts</source>
        <translation>计数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>density</source>
        <translation>密度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>before | after L2Norm</source>
        <translation>L2Norm 之前 | 之后</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+210"/>
        <source>before L2Norm</source>
        <translation>L2Norm 之前</translation>
    </message>
    <message>
        <location line="-209"/>
        <source>after L2Norm</source>
        <translation>L2Norm 之后</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>After L2Norm applies to the normalized layers; the others are shown unchanged</source>
        <translation>“L2Norm 之后”仅作用于归一化层；其他层按原样显示</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers:</source>
        <translation>层：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All images: the merged histograms of every analysed image</source>
        <translation>所有图像：所有已分析图像合并后的直方图</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Click a bin to highlight its locations on the image</source>
        <translation>单击某个区间，在图像上高亮其中的位置</translation>
    </message>
    <message>
        <location line="+192"/>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>γ = %1</source>
        <translation>γ = %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: γ = %2</source>
        <translation>%1：γ = %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no plotted layer is normalized</source>
        <translation>所绘层均未归一化</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>after L2Norm (%1)</source>
        <translation>L2Norm 之后（%1）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>, %1</source>
        <translation>，%1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>after L2Norm: ‖γ · x/‖x‖‖</source>
        <translation>L2Norm 之后：‖γ · x/‖x‖‖</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>before L2Norm: ‖x‖</source>
        <translation>L2Norm 之前：‖x‖</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> — after L2Norm: ‖γ · x/‖x‖‖</source>
        <translation> — L2Norm 之后：‖γ · x/‖x‖‖</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> — before L2Norm: ‖x‖</source>
        <translation> — L2Norm 之前：‖x‖</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>density (fraction of locations per decade)</source>
        <translation>密度（每个数量级内的位置占比）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>density (fraction of locations per activation unit)</source>
        <translation>密度（每个激活值单位内的位置占比）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>locations per bin (count)</source>
        <translation>每个区间的位置数（计数）</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>Distribution of per-location norms</source>
        <translation>逐位置范数的分布</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> — all analysed images</source>
        <translation> — 所有已分析的图像</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> — %1</source>
        <translation> — %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> (nothing to show: tick a layer or analyse an image)</source>
        <translation>（无可显示内容：请勾选一层或分析一张图像）</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>: %1 locations</source>
        <translation>：%1 个位置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, %1 at 0 (not on log axis)</source>
        <translation>，%1 个为 0（不在对数轴上）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (no L2Norm)</source>
        <translation>（无 L2Norm）</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>%1: %2 in [%3, %4)</source>
        <translation>%1：[%3, %4) 中 %2</translation>
    </message>
</context>
<context>
    <name>featscale::ui::ImageListModel</name>
    <message>
        <location filename="../ui/state/image_list_model.cpp" line="+42"/>
        <location line="+20"/>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>queued (%1)</source>
        <translation>排队中（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>analysing…</source>
        <translation>分析中…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>FAILED: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>done · before the re-run</source>
        <translation>已完成 · 重新运行之前的结果</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>done · %1 s</source>
        <translation>已完成 · %1 秒</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+13"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>
%1×%2 → network input %3×%4
preprocess %5 ms, forward %6 ms, statistics %7 ms</source>
        <translation>
%1×%2 → 网络输入 %3×%4
预处理 %5 ms，前向 %6 ms，统计 %7 ms</translation>
    </message>
</context>
<context>
    <name>featscale::ui::ImageView</name>
    <message>
        <location filename="../ui/panels/image_view.cpp" line="+40"/>
        <source>after L2Norm</source>
        <translation>L2Norm 之后</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>before L2Norm</source>
        <translation>L2Norm 之前</translation>
    </message>
    <message>
        <location line="+155"/>
        <source>Norm overlay</source>
        <translation>范数叠加</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Colour each cell of the photo by the selected layer&apos;s L2 norm over channels</source>
        <translation>按所选层沿通道的 L2 范数为照片的每个单元着色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layer whose per-location norm map is overlaid</source>
        <translation>叠加显示其逐位置范数图的层</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+131"/>
        <source>Raw feature norms, or norms after L2Norm with the current gamma</source>
        <translation>原始特征范数，或使用当前 γ 经 L2Norm 之后的范数</translation>
    </message>
    <message>
        <location line="-130"/>
        <source>Overlay opacity</source>
        <translation>叠加层不透明度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>log colours</source>
        <translation>对数色标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>linear colours</source>
        <translation>线性色标</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit</source>
        <translation>适应</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit the photo to the view (wheel zooms, drag pans)</source>
        <translation>使照片适应视图大小（滚轮缩放，拖动平移）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1:1</source>
        <translation>1:1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One image pixel per screen pixel</source>
        <translation>一个图像像素对应一个屏幕像素</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Opacity</source>
        <translation>不透明度</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>No images. Add files or a folder, or drop them onto the image list.</source>
        <translation>没有图像。请添加文件或文件夹，或将其拖放到图像列表上。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1

could not be analysed:
%2</source>
        <translation>%1

无法分析：
%2</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Cannot show this image:
%1</source>
        <translation>无法显示此图像：
%1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source> (L2Norm)</source>
        <translation> (L2Norm)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 has no L2Norm: only its raw norms exist</source>
        <translation>%1 没有 L2Norm：只有原始范数</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>no data yet</source>
        <translation>暂无数据</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>(log scale)</source>
        <translation>（对数刻度）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>(linear)</source>
        <translation>（线性）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Histogram bin of %1 not available for this image</source>
        <translation>此图像没有 %1 的该直方图区间</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Highlighted in cyan: %1 of %2 cells of %3 (%4) with %5 ≤ ‖x‖₂ &lt; %6</source>
        <translation>青色高亮：%3（%4）的 %2 个单元中有 %1 个满足 %5 ≤ ‖x‖₂ &lt; %6</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>pixel (%1, %2)</source>
        <translation>像素 (%1, %2)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 cell %2 before %3 after %4</source>
        <translation>%1 单元 %2 之前 %3 之后 %4</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 cell %2 of %3 before %4 after %5</source>
        <translation>%1 单元 %2（共 %3）之前 %4 之后 %5</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>&lt;b&gt;Pinned pixel (%1, %2)&lt;/b&gt; </source>
        <translation>&lt;b&gt;固定像素 (%1, %2)&lt;/b&gt; </translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&lt;b&gt;Cursor pixel (%1, %2)&lt;/b&gt; </source>
        <translation>&lt;b&gt;光标像素 (%1, %2)&lt;/b&gt; </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>of %1×%2 (network input %3×%4)</source>
        <translation>图像 %1×%2（网络输入 %3×%4）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&lt;br&gt;no results for this image yet</source>
        <translation>&lt;br&gt;此图像尚无结果</translation>
    </message>
    <message>
        <location line="-74"/>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>cell</source>
        <translation>单元</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>before</source>
        <translation>之前</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>after</source>
        <translation>之后</translation>
    </message>
    <message>
        <location line="+74"/>
        <source> — ‖x‖₂ = L2 norm over channels at the cell under the pixel</source>
        <translation> — ‖x‖₂ = 该像素所在单元处沿通道的 L2 范数</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%1 cell %2: before %3, after %4</source>
        <translation>%1 单元 %2：之前 %3，之后 %4</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Hover over the photo to read the norm of every layer there; click to pin a location.</source>
        <translation>将鼠标悬停在照片上可读取该处每一层的范数；单击可固定一个位置。</translation>
    </message>
</context>
<context>
    <name>featscale::ui::ImagesPanel</name>
    <message>
        <location filename="../ui/panels/images_panel.cpp" line="+132"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add image files (or drop files and folders onto this list)</source>
        <translation>添加图像文件（也可将文件和文件夹拖放到此列表上）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add every image in a folder and its subfolders</source>
        <translation>添加某个文件夹及其子文件夹中的所有图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the selected images from the list (Delete)</source>
        <translation>从列表中移除所选图像（Delete）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove selected images</source>
        <translation>移除所选图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove every image from the list (Edit → Undo brings them back)</source>
        <translation>从列表中移除所有图像（编辑 → 撤销可恢复）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Load annotations…</source>
        <translation>加载标注…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Object boxes for the listed images, matched by file name: the image view draws them and the plots can split by region</source>
        <translation>列表中图像的目标框，按文件名匹配：图像视图绘制它们，图表可按区域拆分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Annotation file (COCO JSON, WIDER FACE txt)…</source>
        <translation>标注文件（COCO JSON、WIDER FACE txt）…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VOC folder of NAME.xml…</source>
        <translation>VOC 文件夹（NAME.xml）…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forget annotations</source>
        <translation>清除标注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No images.

Add files or a folder, or drop them here.</source>
        <translation>没有图像。

添加文件或文件夹，或将其拖放到此处。</translation>
    </message>
    <message numerus="yes">
        <location line="+39"/>
        <source>Annotations %1: boxes for %2 of %n image(s)</source>
        <translation>
            <numerusform>标注 %1：%n 张图像中 %2 张有目标框</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n 个问题</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Load annotations</source>
        <translation>加载标注</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Annotations (*.json *.txt);;All files (*)</source>
        <translation>标注 (*.json *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Load VOC annotations (a folder of NAME.xml)</source>
        <translation>加载 VOC 标注（NAME.xml 所在文件夹）</translation>
    </message>
    <message numerus="yes">
        <location line="+45"/>
        <source>%n image(s): %1 done</source>
        <translation>
            <numerusform>%n 张图像：%1 张已完成</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (%1 from before the re-run)</source>
        <translation>（%1 张为重新运行之前的结果）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, %1 failed</source>
        <translation>，%1 张失败</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, %1 waiting</source>
        <translation>，%1 张等待中</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No images found in %1.</source>
        <translation>在 %1 中未找到图像。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images are files named *.%1 (formats: %2).</source>
        <translation>图像是名为 *.%1 的文件（格式：%2）。</translation>
    </message>
    <message numerus="yes">
        <location line="+69"/>
        <source>Image list cleared (%n image(s)); Edit → Undo brings them back.</source>
        <translation>
            <numerusform>图像列表已清空（%n 张图像）；编辑 → 撤销可恢复。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n image(s) removed; Edit → Undo brings them back.</source>
        <translation>
            <numerusform>已移除 %n 张图像；编辑 → 撤销可恢复。</numerusform>
        </translation>
    </message>
    <message>
        <location line="-34"/>
        <source>Add images</source>
        <translation>添加图像</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Add a folder of images</source>
        <translation>添加图像文件夹</translation>
    </message>
</context>
<context>
    <name>featscale::ui::LayerScalesPanel</name>
    <message>
        <location filename="../ui/plots/layer_scales_panel.cpp" line="+152"/>
        <source>Show after L2Norm</source>
        <translation>显示 L2Norm 之后</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>All images: percentiles of the merged histograms of every analysed image</source>
        <translation>所有图像：由所有已分析图像合并后的直方图计算百分位数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ratio of the median per-location norms of the two layers</source>
        <translation>两层逐位置范数中位数之比</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Scope:</source>
        <translation>范围：</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Median ratio:</source>
        <translation>中位数之比：</translation>
    </message>
    <message>
        <location line="+117"/>
        <source>layer (box 25–75 %, whiskers 5–95 %, line = median)</source>
        <translation>层（箱体 25–75 %，须线 5–95 %，中线 = 中位数）</translation>
    </message>
    <message>
        <location line="-92"/>
        <source> (after L2Norm)</source>
        <translation>（L2Norm 之后）</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>Feature scale across depth</source>
        <translation>不同深度的特征尺度</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source> — all %n analysed image(s)</source>
        <translation>
            <numerusform> — 全部 %n 张已分析的图像</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source> — %1</source>
        <translation> — %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+28"/>
        <source>, %1</source>
        <translation>，%1</translation>
    </message>
    <message>
        <location line="-25"/>
        <source> (no analysed image yet)</source>
        <translation>（尚无已分析的图像）</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>before L2Norm: ‖x‖</source>
        <translation>L2Norm 之前：‖x‖</translation>
    </message>
    <message>
        <location line="+24"/>
        <source> (L2Norm)</source>
        <translation> (L2Norm)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>
(L2Norm)</source>
        <translation>
(L2Norm)</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>after L2Norm: ‖γ · x/‖x‖‖</source>
        <translation>L2Norm 之后：‖γ · x/‖x‖‖</translation>
    </message>
    <message numerus="yes">
        <location line="+112"/>
        <source>%1 %2
median %3
25–75 %: %4 – %5
5–95 %: %6 – %7
%n location(s)</source>
        <translation>
            <numerusform>%1 %2
中位数 %3
25–75 %：%4 – %5
5–95 %：%6 – %7
%n 个位置</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>after L2Norm</source>
        <translation>L2Norm 之后</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>before L2Norm</source>
        <translation>L2Norm 之前</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>mean |x| per element (Caffe&apos;s log): %1</source>
        <translation>每个元素的平均 |x|（Caffe 日志）：%1</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>%1 / %2 ≈ %3 (medians from histogram bins %4 % wide)</source>
        <translation>%1 / %2 ≈ %3（中位数取自宽度为 %4 % 的直方图分箱）</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>  →  after L2Norm: %1</source>
        <translation>  →  L2Norm 之后：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Untrained weights: these scales are not the trained network&apos;s. &lt;a href=&quot;trained&quot;&gt;Get trained weights…&lt;/a&gt;</source>
        <translation>未训练权重：这些尺度并非训练好的网络的尺度。&lt;a href=&quot;trained&quot;&gt;获取训练好的权重…&lt;/a&gt;</translation>
    </message>
</context>
<context>
    <name>featscale::ui::MainWindow</name>
    <message>
        <location filename="../ui/window/main_window.cpp" line="+171"/>
        <source>Layer scales</source>
        <translation>层尺度</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Histograms</source>
        <translation>直方图</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ParseNet concat</source>
        <translation>ParseNet 拼接</translation>
    </message>
    <message>
        <location line="+34"/>
        <location line="+1"/>
        <source>Images</source>
        <translation>图像</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+1"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+1"/>
        <source>Gamma (L2Norm)</source>
        <translation>γ (L2Norm)</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+1"/>
        <source>Runs</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Compare runs</source>
        <translation>比较运行</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add &amp;images…</source>
        <translation>添加图像(&amp;I)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Add &amp;folder…</source>
        <translation>添加文件夹(&amp;F)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add the bundled &amp;samples</source>
        <translation>添加内置示例图像(&amp;S)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open &amp;weights…</source>
        <translation>打开权重(&amp;W)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Get &amp;trained weights…</source>
        <translation>获取训练好的权重(&amp;T)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open &amp;session…</source>
        <translation>打开会话(&amp;S)…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Recent sessions</source>
        <translation>最近的会话</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Save session</source>
        <translation>保存会话(&amp;S)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save session &amp;as…</source>
        <translation>会话另存为(&amp;A)…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Export histograms and summaries (current image)…</source>
        <translation>导出直方图和汇总（当前图像）(&amp;E)…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export histograms and summaries (&amp;all images)…</source>
        <translation>导出直方图和汇总（所有图像）(&amp;A)…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export norm maps (current image)…</source>
        <translation>导出范数图（当前图像）…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export norm maps (all images)…</source>
        <translation>导出范数图（所有图像）…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export &amp;plot</source>
        <translation>导出图表(&amp;P)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export visible plot…</source>
        <translation>导出可见图表…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export image with &amp;overlay…</source>
        <translation>导出带叠加层的图像(&amp;O)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location line="-85"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="-78"/>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>&amp;Next image</source>
        <translation>下一张图像(&amp;N)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Previous image</source>
        <translation>上一张图像(&amp;P)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Clear pinned location</source>
        <translation>清除固定的位置</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Clear histogram highlight</source>
        <translation>清除直方图高亮</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reset &amp;layout</source>
        <translation>重置布局(&amp;L)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Re-run all images</source>
        <translation>重新运行所有图像(&amp;R)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The ParseNet argument and the &amp;plots</source>
        <translation>ParseNet 的论点与图表说明(&amp;P)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>About featscale</source>
        <translation>关于 featscale</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>featscale %1
Feature scale of VGG16 layers before and after L2Norm (ParseNet / SSD).
Licence: GPL-3.0-or-later.</source>
        <translation>featscale %1
VGG16 各层在 L2Norm 之前和之后的特征尺度（ParseNet / SSD）。
许可证：GPL-3.0-or-later。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;About featscale</source>
        <translation>关于 featscale(&amp;A)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+28"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location line="-25"/>
        <location line="+26"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>&amp;Undo %1</source>
        <translation>撤销 %1(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Redo %1</source>
        <translation>重做 %1(&amp;R)</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>The bundled sample images were not found (share/featscale/samples beside the program&apos;s folder).</source>
        <translation>未找到内置示例图像（应位于程序所在文件夹旁的 share/featscale/samples）。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No image is shown to export.</source>
        <translation>没有显示中的图像可导出。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export image with overlay</source>
        <translation>导出带叠加层的图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Saved the image with its overlay to %1</source>
        <translation>已将带叠加层的图像保存到 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Image export failed: %1</source>
        <translation>图像导出失败：%1</translation>
    </message>
    <message>
        <location line="+173"/>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The session has unsaved changes (images, settings or gamma).</source>
        <translation>会话有未保存的更改（图像、设置或 γ）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save them before closing?</source>
        <translation>关闭前保存吗？</translation>
    </message>
</context>
<context>
    <name>featscale::ui::MessageBar</name>
    <message>
        <location filename="../ui/panels/message_bar.cpp" line="+59"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Details…</source>
        <translation>详情…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The full message and the earlier ones</source>
        <translation>完整消息及更早的消息</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Messages</source>
        <translation>消息</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Earlier messages:
%1</source>
        <translation>更早的消息：
%1</translation>
    </message>
</context>
<context>
    <name>featscale::ui::ModelPanel</name>
    <message>
        <location filename="../ui/panels/model_panel.cpp" line="+198"/>
        <source>topology from the weight file</source>
        <translation>由权重文件决定网络结构</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Re-run</source>
        <translation>重新运行</translation>
    </message>
    <message>
        <location line="-32"/>
        <source>UNTRAINED — random initial weights; the numbers show an untrained network</source>
        <translation>未训练 — 随机初始权重；这些数值反映的是未经训练的网络</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open weights…</source>
        <translation>打开权重…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Get trained weights…</source>
        <translation>获取训练好的权重…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download torchvision&apos;s or Keras&apos; published VGG16/SSD weights (checked against their published hashes) into the PyTorch/Keras caches</source>
        <translation>将 torchvision 或 Keras 发布的 VGG16/SSD 权重（按其公布的哈希值校验）下载到 PyTorch/Keras 缓存中</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Load VGG16 weights (.pth, .pt, .caffemodel, .onnx, .h5); the file is read as data, never executed</source>
        <translation>加载 VGG16 权重（.pth、.pt、.caffemodel、.onnx、.h5）；文件只作为数据读取，绝不执行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Back to the built-in, untrained default weights</source>
        <translation>恢复为内置的、未训练的默认权重</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Weight files found in the usual places and opened before</source>
        <translation>在常用位置找到的以及曾打开过的权重文件</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <location line="-128"/>
        <source>VGG16 reduced (SSD / ParseNet)</source>
        <translation>VGG16 精简版 (SSD/ParseNet)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>VGG16 (torchvision)</source>
        <translation>VGG16 (torchvision)</translation>
    </message>
    <message>
        <location line="+144"/>
        <source>Settings changed: Re-run to apply them.</source>
        <translation>设置已更改：重新运行以应用。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Let the weight file decide the topology when it is unambiguous</source>
        <translation>当权重文件能明确确定网络结构时，由它决定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>weights&apos; convention</source>
        <translation>权重自带的约定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Caffe (BGR, mean 104/117/123)</source>
        <translation>Caffe（BGR，均值 104/117/123）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>torchvision (RGB, ImageNet mean/std)</source>
        <translation>torchvision（RGB，ImageNet 均值/标准差）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Caffe RGB (RGB, mean 123/117/104)</source>
        <translation>Caffe RGB（RGB，均值 123/117/104）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>square</source>
        <translation>正方形</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>shorter side</source>
        <translation>短边</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>original</source>
        <translation>原始尺寸</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Taps to analyse: &quot;all&quot; or a comma-separated list such as conv4_3,conv5_3,fc7</source>
        <translation>要分析的层：“all”表示全部，或用逗号分隔的列表，如 conv4_3,conv5_3,fc7</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Analyse every image again with these settings (F5)</source>
        <translation>用这些设置重新分析所有图像（F5）</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>Network and input</source>
        <translation>网络与输入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Topology</source>
        <translation>网络结构</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Preprocessing</source>
        <translation>预处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Input size</source>
        <translation>输入尺寸</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>format: %1</source>
        <translation>格式：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>family: %1</source>
        <translation>来源：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>layout: %1</source>
        <translation>键布局：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sha256: %1…</source>
        <translation>sha256：%1…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>topology: %1, input: %2</source>
        <translation>网络结构：%1，输入：%2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>parameters: %L1</source>
        <translation>参数量：%L1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <location line="-67"/>
        <source>conv4_3,conv5_3,fc7</source>
        <translation>conv4_3,conv5_3,fc7</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>&lt;i&gt;loading %1…&lt;/i&gt;</source>
        <translation>&lt;i&gt;正在加载 %1…&lt;/i&gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the default weights</source>
        <translation>默认权重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;i&gt;no weights loaded&lt;/i&gt;</source>
        <translation>&lt;i&gt;未加载权重&lt;/i&gt;</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>carries a learned L2Norm gamma for %1</source>
        <translation>包含 %1 学到的 L2Norm γ</translation>
    </message>
    <message>
        <location line="+80"/>
        <source>no weight files found</source>
        <translation>未找到权重文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Searched:
%1
Use Open weights… for files elsewhere.</source>
        <translation>已搜索：
%1
其他位置的文件请用“打开权重…”。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>discovered weights (%1)…</source>
        <translation>已发现的权重（%1）…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Weight files opened before or found in the PyTorch and Keras caches</source>
        <translation>曾打开过的或在 PyTorch 和 Keras 缓存中找到的权重文件</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Settings not applied: %1</source>
        <translation>设置未应用：%1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Weights not opened: %1</source>
        <translation>权重未打开：%1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Open VGG16 weights</source>
        <translation>打开 VGG16 权重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Weight files (*.pth *.pt *.bin *.caffemodel *.onnx *.h5 *.hdf5);;All files (*)</source>
        <translation>权重文件 (*.pth *.pt *.bin *.caffemodel *.onnx *.h5 *.hdf5);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>featscale::ui::PlotInteraction</name>
    <message>
        <location filename="../ui/plots/plot_interaction.cpp" line="+130"/>
        <source>Export plot…</source>
        <translation>导出图表…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reset zoom (double-click)</source>
        <translation>重置缩放（双击）</translation>
    </message>
</context>
<context>
    <name>featscale::ui::RatioTable</name>
    <message>
        <location filename="../ui/runs/ratio_table.cpp" line="+80"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+56"/>
        <source>before</source>
        <translation>之前</translation>
    </message>
    <message>
        <location line="-56"/>
        <location line="+58"/>
        <source>after</source>
        <translation>之后</translation>
    </message>
    <message>
        <location line="-52"/>
        <source>(reference)</source>
        <translation>（参照）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>median %1, 5–95 %: %2 … %3; ratio to the reference run&apos;s median %4%5</source>
        <translation>中位数 %1，5–95 %：%2 … %3；与参照运行中位数之比 %4%5</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (medians from binned histograms: approximate)</source>
        <translation>（中位数由分箱直方图得出：近似值）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Within each run</source>
        <translation>各运行内部</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>median of %1 over median of %2</source>
        <translation>%1 的中位数除以 %2 的中位数</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no L2Norm</source>
        <translation>无 L2Norm</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>median ratio</source>
        <translation>中位数之比</translation>
    </message>
</context>
<context>
    <name>featscale::ui::RegionBox</name>
    <message>
        <location filename="../ui/plots/region_box.cpp" line="+25"/>
        <source>All cells</source>
        <translation>全部单元</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Object vs background</source>
        <translation>目标与背景</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By size: small, medium, large</source>
        <translation>按尺寸：小、中、大</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Split by the annotations&apos; boxes: a cell is on an object when its centre lies inside a box; sizes are COCO&apos;s (small &lt; 32², medium &lt; 96² pixels)</source>
        <translation>按标注框拆分：单元中心位于框内即属于目标；尺寸按 COCO 划分（小 &lt; 32²，中 &lt; 96² 像素）</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>object vs background</source>
        <translation>目标与背景</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>objects by size</source>
        <translation>按尺寸划分的目标</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>object</source>
        <translation>目标</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>background</source>
        <translation>背景</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>small</source>
        <translation>小</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>large</source>
        <translation>大</translation>
    </message>
</context>
<context>
    <name>featscale::ui::RunConcatView</name>
    <message>
        <location filename="../ui/runs/run_concat_view.cpp" line="+37"/>
        <location line="+14"/>
        <source>Same y axis for every run</source>
        <translation>所有运行使用相同的 y 轴</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>No run is shown: add runs in the Runs panel.</source>
        <translation>没有显示任何运行：请在“运行”面板中添加。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No image selected.</source>
        <translation>未选择图像。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Click the image to pin a location: each run&apos;s concatenated feature vector there is shown.</source>
        <translation>点击图像以固定一个位置：将显示各运行在该处的拼接特征向量。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>not available: a run folder holds no activations</source>
        <translation>不可用：运行文件夹不包含激活值</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>this image is not part of the run</source>
        <translation>此图像不属于该运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>activations of this image were not kept (memory budget); the run keeps its first images&apos;</source>
        <translation>此图像的激活值未保留（内存预算）；该运行只保留前几张图像的激活值</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>the pinned location lies outside the image</source>
        <translation>固定的位置在图像之外</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>activations of %1 were not kept</source>
        <translation>%1 的激活值未保留</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>x before L2Norm</source>
        <translation>L2Norm 之前的 x</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>γ·x̂ after L2Norm</source>
        <translation>L2Norm 之后的 γ·x̂</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>channel (%1), pixel (%2, %3)</source>
        <translation>通道（%1），像素 (%2, %3)</translation>
    </message>
</context>
<context>
    <name>featscale::ui::RunFigures</name>
    <message>
        <location filename="../ui/figures/run_figures.cpp" line="+70"/>
        <location line="+304"/>
        <source>after L2Norm</source>
        <translation>L2Norm 之后</translation>
    </message>
    <message>
        <location line="-304"/>
        <source>before L2Norm</source>
        <translation>L2Norm 之前</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>channel L2 norm (activation units)</source>
        <translation>通道维 L2 范数（激活值单位）</translation>
    </message>
    <message>
        <location line="+27"/>
        <source> (UNTRAINED)</source>
        <translation>（未训练）</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>fraction of locations per decade</source>
        <translation>每个数量级内的位置占比</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>fraction per decade</source>
        <translation>每个数量级的占比</translation>
    </message>
    <message>
        <location line="+40"/>
        <source> (%1 % at 0)</source>
        <translation>（%1 % 为 0）</translation>
    </message>
    <message>
        <location line="+124"/>
        <source>Feature scale across depth</source>
        <translation>不同深度的特征尺度</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>layer (box p25–p75, whiskers p5–p95, line median)</source>
        <translation>层（箱体 p25–p75，须线 p5–p95，横线为中位数）</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Distribution of per-location norms: %1</source>
        <translation>逐位置范数的分布：%1</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Distribution of per-location norms</source>
        <translation>逐位置范数的分布</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>Distribution of per-location norms: %1, %2</source>
        <translation>逐位置范数的分布：%1，%2</translation>
    </message>
    <message>
        <location line="+12"/>
        <source> (no L2Norm)</source>
        <translation>（无 L2Norm）</translation>
    </message>
</context>
<context>
    <name>featscale::ui::RunOverlayView</name>
    <message>
        <location filename="../ui/runs/run_overlay_view.cpp" line="+45"/>
        <location line="+17"/>
        <source>before L2Norm</source>
        <translation>L2Norm 之前</translation>
    </message>
    <message>
        <location line="-16"/>
        <location line="+17"/>
        <source>after L2Norm</source>
        <translation>L2Norm 之后</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>No run is ready: add runs in the Runs panel.</source>
        <translation>没有就绪的运行：请在“运行”面板中添加。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No image selected.</source>
        <translation>未选择图像。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not available for %1: a run folder holds statistics, not norm maps.</source>
        <translation>%1 不可用：运行文件夹只包含统计量，不包含范数图。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This image is not part of %1.</source>
        <translation>此图像不属于 %1。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 has no layer %2.</source>
        <translation>%1 没有层 %2。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 has no L2Norm in %2.</source>
        <translation>%1 在 %2 中没有 L2Norm。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 — %2 %3
‖x‖ %4 … %5 (log colour scale)</source>
        <translation>%1 — %2 %3
‖x‖ %4 … %5（对数色标）</translation>
    </message>
</context>
<context>
    <name>featscale::ui::RunSet</name>
    <message>
        <location filename="../ui/runs/run_set.cpp" line="+90"/>
        <source>no such run folder (moved or deleted?)</source>
        <translation>运行文件夹不存在（已移动或删除？）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>not a run folder (no run.json; expected the output of analyze or merge)</source>
        <translation>不是运行文件夹（没有 run.json；应为 analyze 或 merge 的输出）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1: out of memory while reading the run</source>
        <translation>%1：读取运行时内存不足</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Add images first: a run analyses the loaded images.</source>
        <translation>请先添加图像：运行会分析已加载的图像。</translation>
    </message>
    <message>
        <location line="+18"/>
        <location line="+18"/>
        <source>At most %1 runs can be compared; remove one first.</source>
        <translation>最多可比较 %1 个运行；请先移除一个。</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>Run &quot;%1&quot;: %2</source>
        <translation>运行“%1”：%2</translation>
    </message>
    <message>
        <location filename="../ui/runs/run_set_state.cpp" line="+132"/>
        <source>Run &quot;%1&quot; was not restored: its folder %2 no longer exists.</source>
        <translation>运行“%1”未恢复：其文件夹 %2 已不存在。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Run &quot;%1&quot; was not restored: %2</source>
        <translation>运行“%1”未恢复：%2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Run &quot;%1&quot; was not restored: none of its images exists any more.</source>
        <translation>运行“%1”未恢复：它的图像都已不存在。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A run of the session file has neither a folder nor settings; it was skipped.</source>
        <translation>会话文件中的一个运行既没有文件夹也没有设置；已跳过。</translation>
    </message>
</context>
<context>
    <name>featscale::ui::RunsPanel</name>
    <message>
        <location filename="../ui/runs/runs_panel.cpp" line="+97"/>
        <source>Add from settings</source>
        <translation>按当前设置添加</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Analyse the loaded images again with the model settings and gamma in force now, as a new run (in the background)</source>
        <translation>用当前的模型设置和 gamma 重新分析已加载的图像，作为一个新运行（在后台进行）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open run folder…</source>
        <translation>打开运行文件夹…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A folder written by featscale-cli analyze or merge (read-only)</source>
        <translation>由 featscale-cli analyze 或 merge 写出的文件夹（只读）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Colour…</source>
        <translation>颜色…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tick to show the run, double-click to rename it</source>
        <translation>勾选以显示该运行，双击可重命名</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>reading…</source>
        <translation>读取中…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ready, UNTRAINED</source>
        <translation>就绪，未训练</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>No runs yet. Add one from the model settings or open a run folder written by featscale-cli.</source>
        <translation>还没有运行。可按模型设置添加，或打开 featscale-cli 写出的运行文件夹。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Open a run folder</source>
        <translation>打开运行文件夹</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Colour of %1</source>
        <translation>%1 的颜色</translation>
    </message>
</context>
<context>
    <name>featscale::ui::ScopeBox</name>
    <message>
        <location filename="../ui/plots/plot_panel.cpp" line="+27"/>
        <source>Current image</source>
        <translation>当前图像</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All analysed images</source>
        <translation>所有已分析的图像</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>All images: the merged histograms of every analysed image</source>
        <translation>所有图像：所有已分析图像合并后的直方图</translation>
    </message>
</context>
<context>
    <name>featscale::ui::SessionController</name>
    <message>
        <location filename="../ui/state/session_controller.cpp" line="+82"/>
        <source>Session not saved: %1</source>
        <translation>会话未保存：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Session saved to %1</source>
        <translation>会话已保存到 %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Opening session %1…</source>
        <translation>正在打开会话 %1…</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Session not opened: cancelled; nothing changed</source>
        <translation>会话未打开：已取消；没有任何改变</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Session not opened: %1</source>
        <translation>会话未打开：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+10"/>
        <source>Session %1 opened: %n image(s)</source>
        <translation>
            <numerusform>会话 %1 已打开：%n 张图像</numerusform>
        </translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The weight file %1 changed since the session was saved (sha256 %2… then, %3… now): results will differ.</source>
        <translation>权重文件 %1 在保存会话之后已发生变化（当时 sha256 为 %2…，现在为 %3…）：结果将有所不同。</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>no recent sessions</source>
        <translation>没有最近的会话</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Open session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
</context>
<context>
    <name>featscale::ui::TrainedWeightsDialog</name>
    <message>
        <location filename="../ui/panels/trained_weights_dialog.cpp" line="+122"/>
        <location line="+99"/>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <location line="-98"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Get trained weights</source>
        <translation>获取训练好的权重</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>featscale&apos;s default weights are untrained; the ParseNet scale gap between conv4_3 and fc7 appears only with trained ones. Files go to the PyTorch and Keras caches (~/.cache/torch/hub/checkpoints, ~/.keras/models), where those tools find them too; each is checked against its published hash before it is used.</source>
        <translation>featscale 的默认权重是未训练的；conv4_3 与 fc7 之间的 ParseNet 尺度差距只有在训练好的权重下才会出现。文件会保存到 PyTorch 和 Keras 的缓存目录（~/.cache/torch/hub/checkpoints、~/.keras/models），这些工具也能在那里找到它们；每个文件在使用前都会按其公布的哈希值进行校验。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What it is</source>
        <translation>说明</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>On disk</source>
        <translation>磁盘状态</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="-59"/>
        <source>%1: %2 of %3, %4, %5 left</source>
        <translation>%1：%2 / %3，%4，剩余 %5</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown size</source>
        <translation>大小未知</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1: downloaded, not verifiable: no published full digest, %2
sha256 %3</source>
        <translation>%1：已下载，无法校验：发布者未公布完整摘要，%2
sha256 %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1: verified, %2
sha256 %3</source>
        <translation>%1：已校验，%2
sha256 %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>featscale cannot open it yet: it %1</source>
        <translation>featscale 暂时无法打开它：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Opened in featscale.</source>
        <translation>已在 featscale 中打开。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1: download failed: %2</source>
        <translation>%1：下载失败：%2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1: cancelled; the part already downloaded is kept and the next download resumes from it</source>
        <translation>%1：已取消；已下载的部分会保留，下次下载将从中断处继续</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Lab catalogue not used: %1</source>
        <translation>未使用实验室目录：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> (lab)</source>
        <translation>（实验室）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source> — cannot be opened yet</source>
        <translation> — 暂时无法打开</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>&lt;b&gt;%1&lt;/b&gt; — %2, %3&lt;br&gt;%4&lt;br&gt;from %5&lt;br&gt;to %6&lt;br&gt;&lt;i&gt;%7&lt;/i&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — %2，%3&lt;br&gt;%4&lt;br&gt;来源：%5&lt;br&gt;保存到：%6&lt;br&gt;&lt;i&gt;%7&lt;/i&gt;</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&lt;br&gt;&lt;b&gt;featscale cannot open it yet:&lt;/b&gt; it %1</source>
        <translation>&lt;br&gt;&lt;b&gt;featscale 暂时无法打开它：&lt;/b&gt;%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Check again</source>
        <translation>重新校验</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>%1: connecting to %2 …</source>
        <translation>%1：正在连接 %2 …</translation>
    </message>
</context>
<context>
    <name>featscale::ui::TrainingPanel</name>
    <message>
        <location filename="../ui/runs/training_panel.cpp" line="+118"/>
        <source>Open checkpoint folder…</source>
        <translation>打开检查点文件夹…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open checkpoints…</source>
        <translation>打开检查点…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Over the loaded images</source>
        <translation>在已加载的图像上</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Analyse every image of the image list through each checkpoint: the layers&apos; median norms before and after L2Norm over the steps (slower: one analysis per checkpoint)</source>
        <translation>用每个检查点分析图像列表中的每张图像：各层在 L2Norm 之前和之后的中位范数随步数的变化（较慢：每个检查点分析一次）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export figure…</source>
        <translation>导出图…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hover a checkpoint to mark it in every plot; click it to make it the current weights (Edit → Undo goes back)</source>
        <translation>悬停于检查点可在每个图中标记它；单击可将其设为当前权重（编辑 → 撤销可返回）</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>No weight files (.pth, .pt, .caffemodel, …) among %1.</source>
        <translation>%1 中没有权重文件（.pth、.pt、.caffemodel 等）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>“Over the loaded images” needs images in the image list.</source>
        <translation>“在已加载的图像上”需要图像列表中有图像。</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+24"/>
        <source>reading %v of %m checkpoints</source>
        <translation>正在读取第 %v 个检查点，共 %m 个</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>analysing the images: %v of %m checkpoints</source>
        <translation>正在分析图像：第 %v 个检查点，共 %m 个</translation>
    </message>
    <message>
        <location line="+140"/>
        <source>Use checkpoint %1</source>
        <translation>使用检查点 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Weights: %1 (%2) from the training run; Edit → Undo goes back</source>
        <translation>权重：训练过程中的 %1（%2）；编辑 → 撤销可返回</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+41"/>
        <source>step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <location line="-41"/>
        <location line="+41"/>
        <source>no step recorded</source>
        <translation>未记录步数</translation>
    </message>
    <message numerus="yes">
        <location line="-31"/>
        <source>Loading %n checkpoint(s) over the images…</source>
        <translation>
            <numerusform>正在图像上加载 %n 个检查点…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>Loading %n checkpoint(s)…</source>
        <translation>
            <numerusform>正在加载 %n 个检查点…</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open a folder or files of checkpoints saved during training to see γ and, over the loaded images, the feature scale across the steps.</source>
        <translation>打开训练期间保存的检查点文件夹或文件，查看 γ 以及（在已加载的图像上）各步的特征尺度。</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>None of the %n checkpoint(s) could be read; nothing is drawn and the current weights are unchanged.</source>
        <translation>
            <numerusform>%n 个检查点均无法读取；未绘制任何内容，当前权重保持不变。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>%n checkpoint(s) of the training run</source>
        <translation>
            <numerusform>训练过程的 %n 个检查点</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>, each over %n image(s)</source>
        <translation>
            <numerusform>，每个检查点分析 %n 张图像</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+3"/>
        <source>%n checkpoint(s) skipped; the first: %1</source>
        <translation>
            <numerusform>跳过了 %n 个检查点；第一个：%1</numerusform>
        </translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancelled: %1 of %2 checkpoints loaded; the rest were not read.</source>
        <translation>已取消：已加载 %2 个检查点中的 %1 个；其余未读取。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Marked: %1, %2 (click to use these weights)</source>
        <translation>已标记：%1，%2（单击使用此权重）</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Open a folder of checkpoints</source>
        <translation>打开检查点文件夹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open checkpoints</source>
        <translation>打开检查点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checkpoints (*.pth *.pt *.pkl *.tar *.ckpt *.bin *.caffemodel *.t7 *.h5 *.onnx);;All files (*)</source>
        <translation>检查点 (*.pth *.pt *.pkl *.tar *.ckpt *.bin *.caffemodel *.t7 *.h5 *.onnx);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Export the training run&apos;s figure</source>
        <translation>导出训练过程的图</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG 图像 (*.png);;SVG 图像 (*.svg);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the training run&apos;s CSV files</source>
        <translation>导出训练过程的 CSV 文件</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Saved the training run&apos;s figure to %1</source>
        <translation>已将训练过程的图保存到 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Figure export failed: %1</source>
        <translation>图导出失败：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Saved gamma.csv, trajectory.csv and trajectory.json to %1</source>
        <translation>已将 gamma.csv、trajectory.csv 和 trajectory.json 保存到 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Training run export failed: %1</source>
        <translation>训练过程导出失败：%1</translation>
    </message>
</context>
<context>
    <name>featscale::ui::TrajectoryFigure</name>
    <message>
        <location filename="../ui/figures/trajectory_figure.cpp" line="+41"/>
        <source>training step</source>
        <translation>训练步数</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>checkpoint (training order)</source>
        <translation>检查点（训练顺序）</translation>
    </message>
    <message>
        <location line="+54"/>
        <source> after L2Norm</source>
        <translation> L2Norm 之后</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> before</source>
        <translation> 之前</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>median L2 norm</source>
        <translation>L2 范数中位数</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>γ %1 (mean, min–max)</source>
        <translation>γ %1（均值，最小–最大）</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+42"/>
        <source>γ</source>
        <translation>γ</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>%1 channel</source>
        <translation>%1 通道</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Feature scale and γ across training</source>
        <translation>训练过程中的特征尺度与 γ</translation>
    </message>
</context>
<context>
    <name>featscale::ui::UntrainedBanner</name>
    <message>
        <location filename="../ui/panels/untrained_banner.cpp" line="+56"/>
        <source>&lt;b&gt;The default weights are UNTRAINED&lt;/b&gt; (random, seeded): the plots show an untrained network. The ParseNet scale gap — conv4_3&apos;s features far larger than fc7&apos;s — appears only with trained weights.</source>
        <translation>&lt;b&gt;默认权重未经训练&lt;/b&gt;（随机，带种子）：图表显示的是未训练的网络。ParseNet 所说的尺度差距——conv4_3 的特征远大于 fc7 的——只有在训练好的权重下才会出现。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Download VGG16 (ImageNet, %1)</source>
        <translation>下载 VGG16（ImageNet，%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Download SSD300 (COCO, %1)</source>
        <translation>下载 SSD300（COCO，%1）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>More…</source>
        <translation>更多…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>featscale::ui::UntrainedText</name>
    <message>
        <location filename="../ui/state/untrained_text.cpp" line="+11"/>
        <source>UNTRAINED weights: featscale&apos;s seeded random initialisation, not learned VGG16 weights</source>
        <translation>未训练权重：featscale 带种子的随机初始化，并非学习得到的 VGG16 权重</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>%1 (seed %2)</source>
        <translation>%1（种子 %2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>UNTRAINED weights</source>
        <translation>未训练权重</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../ui/window/command_line.cpp" line="+72"/>
        <source>Feature scale of VGG16 layers before and after L2Norm.</source>
        <translation>VGG16 各层在 L2Norm 之前和之后的特征尺度。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Images or folders to analyse, or one saved session (.featscale.json).</source>
        <translation>要分析的图像或文件夹，或一个已保存的会话（.featscale.json）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open a saved session.</source>
        <translation>打开已保存的会话。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Start with these VGG16 weights: a file, or a catalogue name such as vgg16.</source>
        <translation>启动时使用这些 VGG16 权重：文件，或目录中的名称（如 vgg16）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Load object boxes for the images: a VOC folder, a COCO .json or a WIDER FACE .txt.</source>
        <translation>为图像加载目标框：VOC 文件夹、COCO .json 或 WIDER FACE .txt。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Render the main views into DIR as PNG files, then quit.</source>
        <translation>将主要视图渲染为 PNG 文件保存到 DIR，然后退出。</translation>
    </message>
</context>
</TS>
