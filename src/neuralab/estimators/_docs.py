"""The estimators' docstring sections, written once for both (numpydoc)."""

PARAMETERS_DOC = """\
    hidden_layer_sizes : int or sequence of int, default=(100,)
        Units of each hidden layer; ``()`` gives a model without hidden layer.
    activation : {"relu", "leaky_relu", "tanh", "logistic", "sigmoid", "identity"}, \
default="relu"
        Hidden activation ("sigmoid" is another name for "logistic").
    solver : {"adam", "sgd", "lbfgs", "rmsprop"}, default="adam"
        "adam": Adam with ``beta_1``, ``beta_2``, ``epsilon``. "sgd": stochastic gradient
        descent with ``momentum`` (Nesterov's with ``nesterovs_momentum``) and the
        ``learning_rate`` schedule; ``momentum=0`` gives the course's plain gradient descent.
        "lbfgs": SciPy's L-BFGS-B on the full-batch loss (``max_iter`` iterations, ``max_fun``
        evaluations; no ``partial_fit``). "rmsprop" (neuralab's): RMSprop with ``epsilon``.
    alpha : float >= 0, default=0.0001
        L2 penalty (alpha / 2n) ‖W‖² on the weight matrices (not the biases, nor BatchNorm's
        scale and shift) for a batch of n samples (weighted: n times their mean weight), as in
        MLPClassifier.
    batch_size : "auto", "full" or int >= 1, default="auto"
        Samples per update: "auto" is min(200, n_samples), "full" one batch of all samples
        (batch gradient descent), 1 stochastic gradient descent. Ignored by "lbfgs".
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        The schedule of "sgd": "constant" keeps ``learning_rate_init``; "invscaling" sets
        η = learning_rate_init / (t + 1)^power_t after each epoch, t the samples seen so far;
        "adaptive" divides η by 5 whenever ``n_iter_no_change`` epochs brought no improvement
        by ``tol`` (instead of stopping), and stops once η <= 1e-6.
    learning_rate_init : float > 0, default=0.001
        The initial learning rate η of "sgd", "adam" and "rmsprop".
    power_t : float >= 0, default=0.5
        The exponent of "invscaling".
    max_iter : int >= 1, default=200
        Most epochs per ``fit`` (for "lbfgs": iterations); training ends earlier when the
        ``tol`` rule says it has converged. Data sets under 200 samples train with one batch,
        so one update, per epoch: give them more (e.g. 500).
    shuffle : bool, default=True
        Reshuffle the training samples before each epoch.
    random_state : int, numpy.random.RandomState or None, default=None
        Seeds the initial weights (drawn as MLPClassifier draws them: the same int gives the
        same initial weights and the same validation split), the shuffling and dropout. None
        draws the seed from neuralab's default generator (see ``nl.manual_seed``).
    tol : float >= 0, default=0.0001
        Smallest improvement of the training loss (or, with ``early_stopping``, of the
        validation score) that counts; for "lbfgs", the gradient tolerance (``gtol``).
    verbose : bool or int, default=False
        Print the loss of each epoch (or L-BFGS iteration).
    warm_start : bool, default=False
        ``fit`` continues from the current weights instead of starting afresh (with the same
        classes for a classifier).
    momentum : float in [0, 1), default=0.9
        The momentum μ of "sgd".
    nesterovs_momentum : bool, default=True
        Nesterov's momentum for "sgd" (with ``momentum`` > 0).
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the data (stratified for binary targets, as in
        MLPClassifier), stop when its score has not improved by ``tol`` for
        ``n_iter_no_change`` epochs, and keep the weights of the best-scoring epoch. Not for
        "lbfgs".
    validation_fraction : float in (0, 1), default=0.1
        The held-out share with ``early_stopping``.
    beta_1, beta_2 : float in [0, 1), default=0.9 and 0.999
        Adam's decay rates of the running mean of the gradient and of its square.
    epsilon : float > 0, default=1e-8
        Adam's (and RMSprop's) ε.
    n_iter_no_change : int >= 1 or numpy.inf, default=10
        Epochs without improvement by ``tol`` before training stops (or, for "adaptive", the
        learning rate drops); ``np.inf`` runs all ``max_iter`` epochs.
    max_fun : int >= 1, default=15000
        Most loss evaluations of "lbfgs".
    clip_grad_norm : float > 0 or None, default=None
        (neuralab) Rescale each update's data-loss gradient to this global L2 norm at most.
    batch_norm : bool, default=False
        (neuralab) A BatchNorm1d after each hidden linear layer (batches of at least 2).
    dropout : float in [0, 1), default=0.0
        (neuralab) Dropout after each hidden activation.
"""

ATTRIBUTES_DOC = """\
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Only when X had column names (a DataFrame).
    coefs_ : list of ndarray
        The weight matrix W of each layer, shape (in, out), in the dtype of the X fitted
        (float32 X trains float32 weights). The network computes with these very arrays:
        changing them, or assigning new ones, changes the predictions.
    intercepts_ : list of ndarray
        The bias vector of each layer, likewise.
    n_layers_ : int
        Layers including input and output: len(hidden_layer_sizes) + 2.
    n_outputs_ : int
    out_activation_ : str
        The output's link: "logistic", "softmax", "identity" or "exp" (the network itself
        outputs the scores before it, e.g. logits).
    loss_ : float
        The loss of the last epoch (or of the L-BFGS result), penalty included.
    loss_curve_ : list of float
        The loss of each epoch (for "lbfgs", of each iteration) over all calls of ``fit`` with
        ``warm_start`` and of ``partial_fit``: the mean data loss on MLPClassifier's scale
        plus the mean L2 penalty of the batches.
    validation_loss_curve_ : list of float or None
        (neuralab) The data loss on the held-out data per epoch with ``early_stopping``.
    validation_scores_ : list of float or None
        ``score`` on the held-out data per epoch with ``early_stopping``, else None.
    best_loss_ : float or None
        Lowest training loss so far (None with ``early_stopping``).
    best_validation_score_ : float or None
        Best validation score so far (None without ``early_stopping``).
    n_iter_ : int
        Epochs (L-BFGS iterations) run by the last call of ``fit`` (1 after ``partial_fit``).
    t_ : int
        Training samples seen by the stochastic solvers, over all calls.
    model_ : neuralab.nn.MLP
        The network itself, whose parameters are ``coefs_`` and ``intercepts_``.
"""

NOTES_DOC = """\
    Training follows MLPClassifier's rules: the same initial weights for the same
    ``random_state``, the same update rules (SGD's velocity v = μv - ηg, Nesterov's step
    μv - ηg; Adam with bias correction), the same L2 penalty per batch, the same loss
    scale and stopping rule. The differences, each deliberate: the batches are shuffled
    with neuralab's generator (so the order differs for the same seed); Adam adds ε to √v̂
    (PyTorch's rule) rather than to √v (which only matters for gradients below ~ε); with
    ``sample_weight`` and mini-batches a batch's loss is normalised by the batch size times
    the data's mean weight rather than by the batch's own weight sum (the same for full
    batches, and in expectation). X's dtype is kept: float64 (the default of NumPy and of
    scikit-learn's transformers) trains in float64; pass float32 for speed. A sparse X
    (CSR or CSC) stays sparse: the first layer multiplies it without densifying.

    A diverging fit (the loss or a gradient becomes NaN or infinite) stops at the first
    non-finite batch, where MLPClassifier trains on with NaN weights until ``max_iter``.
    With ``early_stopping`` the epoch is recorded with the score NaN, as MLPClassifier
    records it, the best epoch's weights are kept and a ConvergenceWarning says what
    happened; without, the ValueError MLPClassifier raises at the end ("Solver produced
    non-finite parameter weights...") comes at once, and the weights are left at the last
    finite epoch rather than NaN.
"""
